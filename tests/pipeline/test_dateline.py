"""Stage `dateline`: an article without a publication date takes one from its dateline."""

from __future__ import annotations

import pytest

from newsgraph.model import Article
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.stages.dateline import dateline

PIPE = Pipeline(["dateline", "tokens", "times"])


def test_dated_dateline_gives_published_and_anchors_times() -> None:
    out = PIPE(Article.create("BERLIN, 12. Februar 2025 (dpa) – Am Freitag wird Merz nach Paris reisen.", language="de"))
    assert out.published == "2025-02-12"
    assert out.meta["published_from"] == "dateline" and out.meta["dateline"] == "BERLIN, 12. Februar 2025 (dpa)"
    friday = next(t for t in out.times if t.text == "Freitag")
    assert (friday.value, friday.anchor) == ("2025-02-14", "published")


def test_own_publication_date_wins() -> None:
    out = PIPE(Article.create("BERLIN, 12. Februar 2025 (dpa) – Text.", published="2025-02-13", language="de"))
    assert out.published == "2025-02-13" and "published_from" not in out.meta


def test_dateline_without_year_is_kept_but_not_guessed() -> None:
    out = PIPE(Article.create("BERLIN, 12. Februar (dpa) – Am Mittwoch telefonierte Merz mit Macron.", language="de"))
    assert out.published is None
    assert out.meta["dateline_month_day"] == "--02-12"
    assert all(t.value is None for t in out.times if t.text == "Mittwoch")


@pytest.mark.parametrize(("text", "date"), [
    ("Frankfurt/Main, 3.10.2024 - Heute öffnet die Messe.", "2024-10-03"),
    ("Berlin (dpa), 5. Mai 2023 – Der Bundestag tagt.", "2023-05-05"),
])
def test_dateline_forms(text: str, date: str) -> None:
    found = dateline(text)
    assert found is not None and found["date"] == date


@pytest.mark.parametrize("text", [
    "Am 12. Februar 2025 – sagte er – begann es.",  # a date, but not a dateline
    "BERLIN, 31. Februar 2025 (dpa) – Unmögliches Datum.",
    "Die Regierung hat am Mittwoch beschlossen.",
])
def test_not_a_dateline(text: str) -> None:
    assert dateline(text) is None
