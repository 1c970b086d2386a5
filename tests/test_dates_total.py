"""No article is lost to a date: impossible publication dates are refused at the door, and every date
arithmetic is total over what the parsers return (issue "Hardened, round 3", point 1 and 2)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.batch import ingest
from newsgraph.model import Article, check_published, day_window
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.temporal.extract import find_times
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

IMPOSSIBLE = ["2025-02-30", "-0044-03-15", "1e20", "", "  ", "+275760-09-13", "2025-02-13T25:61:00", "gestern",
              "2025-13-01", "31.02.2025", "Thu, 31 Feb 2025 10:00:00 GMT"]
VALID = [("2025-02-13", "2025-02-13"), ("2025-02-13T10:30:00+01:00", "2025-02-13T10:30:00+01:00"),
         ("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-01"), ("13.02.2025", "2025-02-13"),
         ("Thu, 13 Feb 2025 10:00:00 GMT", "2025-02-13T10:00:00+00:00")]


@pytest.mark.parametrize("raw", IMPOSSIBLE)
def test_impossible_published_becomes_null_with_raw_value_and_reason(raw: str) -> None:
    article = Article.create("Der Kanzler sprach am Mittwoch in Berlin.", published=raw)
    assert article.published is None
    assert article.meta["published_raw"] == raw
    assert article.meta["published_invalid"]


@pytest.mark.parametrize(("raw", "stored"), VALID)
def test_real_dates_are_kept(raw: str, stored: str) -> None:
    assert check_published(raw) == (stored, None)
    assert "published_invalid" not in Article.create("Text.", published=raw).meta


def test_an_impossible_anchor_resolves_nothing() -> None:
    article = Pipeline()(Article.create("Der Kanzler sprach am Mittwoch in Berlin.", published="2025-02-13T25:61:00"))
    mittwoch = next(t for t in article.times if t.text == "Mittwoch")
    assert mittwoch.value is None


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_check_published_never_raises(raw: str) -> None:
    value, reason = check_published(raw)
    assert (value is None) != (reason is None)
    if value is not None:
        assert dt.date.fromisoformat(value[:10])


def test_years_before_one_get_bc_values() -> None:
    [ago] = find_times("Vor 2900 Jahren lebten hier Menschen.", dt.date(2025, 2, 13), [], [])
    assert ago.value == "BC0875"


EXPRESSIONS = ("Vor 2900 Jahren, in 8000 Jahren, am Mittwoch, nächstes Jahr, morgen, übermorgen, im Juni, "
               "in zwei Jahren, am Wochenende, vergangene Woche, kommenden Montag, im nächsten Quartal, im Herbst, "
               "Ende des Jahrzehnts, vor zwei Stunden, am 3. März, in den 1990er Jahren, Weihnachten, Ostern, "
               "seit drei Tagen, im kommenden Jahrhundert, am Abend, heute um 10 Uhr, vor einer Woche.")


@given(st.dates(min_value=dt.date.min, max_value=dt.date.max))
@settings(max_examples=200, deadline=None)
def test_resolution_is_total_over_every_publication_date(published: dt.date) -> None:
    found = find_times(EXPRESSIONS, published, [], [])
    assert len(found) > 15


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59"])
def test_day_window_is_clamped(published: str) -> None:
    first, last = day_window(published, 30) or ("", "")
    assert "0001-01-01" <= first <= last


def test_a_batch_with_extreme_dates_is_stored_whole(tmp_path: Path) -> None:
    lines = [{"text": f"Bundeskanzler Olaf Scholz sagte am Mittwoch in Berlin, die Lage sei ernst. Artikel {n}.",
              "published": published}
             for n, published in enumerate(["2025-02-13", "9999-12-31", "0001-01-01", "2025-02-30"])]
    lines.append({"text": "Vor 2900 Jahren lebten hier Menschen, sagte die Archäologin Anna Schmidt am Montag.",
                  "published": "2025-02-13"})
    path = tmp_path / "extreme.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    with Corpus(tmp_path / "c.db") as corpus:
        summary = ingest([str(path)], corpus, settings=load_settings({"article_time_budget": 0}))
        assert summary.added == 5 and not summary.failures
        published = sorted(str(a.published) for a in corpus.iter_articles())
        assert published == ["0001-01-01", "2025-02-13", "2025-02-13", "9999-12-31", "None"]
        ago = next(t for a in corpus.iter_articles() for t in a.times if t.text == "Vor 2900 Jahren")
        assert ago.value == "BC0875"
