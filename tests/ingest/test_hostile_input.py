"""Hostile input never escapes as an exception: each case is one coded failure or one article, the batch
goes on, and what was read is stored."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest

from newsgraph.batch import ingest
from newsgraph.ingest import read_inputs
from newsgraph.model import Article, Failure
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

GOOD = "Der Kreml bestätigte das Gespräch am Mittwoch. Trump sprach von einem Erfolg.\n"
# Found by fuzzing: trafilatura's tree cleaning asserts on this tag soup.
TAG_SOUP = "<svg></html><svg><td><meta></ul></a><title><li>&amp;<option><li><p><nav><nav>&amp;"


def _items(*paths: Path) -> list[Article | Failure]:
    return list(read_inputs([str(p) for p in paths]))


def test_lone_surrogates_become_replacement_characters_and_are_counted(tmp_path: Path) -> None:
    line = '{"text": "Trump sagte \\ud800 etwas.", "title": "T\\udfff", "meta": {"k": "\\udc80"}}\n'
    (tmp_path / "surrogate.jsonl").write_text(line, encoding="utf-8")
    [article] = _items(tmp_path / "surrogate.jsonl")
    assert isinstance(article, Article)
    assert "\ufffd" in article.text and article.title == "T\ufffd" and article.meta["replaced_characters"] == 2
    with Corpus(tmp_path / "c.db") as corpus:
        summary = ingest([str(tmp_path / "surrogate.jsonl")], corpus, settings=load_settings())
        assert summary.added == 1 and corpus.get(article.id).meta["k"] == "\ufffd"


def test_deeply_nested_json_is_a_malformed_line(tmp_path: Path) -> None:
    nested = json.dumps({"text": GOOD, "meta": {"x": json.loads("[" * 100 + "]" * 100)}})
    (tmp_path / "deep.jsonl").write_text("[" * 200_000 + "\n" + nested + "\n" + json.dumps({"text": GOOD}) + "\n",
                                         encoding="utf-8")
    items = _items(tmp_path / "deep.jsonl")
    assert [type(i).__name__ for i in items] == ["Failure", "Failure", "Article"]
    assert all(i.code == "NG009" and "nested" in i.reason for i in items[:2])  # type: ignore[union-attr]
    lenient = list(read_inputs([str(tmp_path / "deep.jsonl")], max_json_depth=200))
    assert [type(i).__name__ for i in lenient] == ["Failure", "Article", "Article"]


def test_corrupt_gzip_is_unreadable_and_the_batch_goes_on(tmp_path: Path) -> None:
    data = gzip.compress((json.dumps({"text": GOOD}) + "\n").encode())
    (tmp_path / "corrupt.jsonl.gz").write_bytes(data[:12] + b"\xff" * 20 + data[32:])
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    items = _items(tmp_path / "corrupt.jsonl.gz", tmp_path / "good.txt")
    assert isinstance(items[0], Failure) and items[0].code == "NG011"
    assert isinstance(items[1], Article)


def test_mutated_feed_items_are_failures(tmp_path: Path) -> None:
    # Found by mutating a feed: lxml raised ValueError on the control character in the item's HTML.
    mutated = (b'<?xml versio\xcb="1.0"?><rss version="2.0"><channel><title>T</title\x00><item><title>Erste</title>'
               b"<description>&t;p&gt;Der Kreml \x13est\xc3\xa4tigte das Gespr\xc3\xa4ch.&lt;/p&gt;</description>"
               b"</item></channel></rss>")
    (tmp_path / "mutated.rss").write_bytes(mutated)
    items = _items(tmp_path / "mutated.rss")
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [("Failure", "NG006"), ("Failure", "NG007")]


def test_tag_soup_html_is_a_coded_failure(tmp_path: Path) -> None:
    (tmp_path / "soup.html").write_text(TAG_SOUP, encoding="utf-8")
    [failure] = _items(tmp_path / "soup.html")
    assert isinstance(failure, Failure) and failure.code == "NG006" and failure.hint


def test_file_name_that_is_not_utf8_is_reported_by_its_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    (folder / os.fsdecode(b"leer\xff.txt")).write_bytes(b"")
    with Corpus(tmp_path / "c.db") as corpus:
        summary = ingest([str(folder)], corpus, settings=load_settings())
        assert summary.added == 1 and [f.code for f in summary.failures] == ["NG002"]
        assert summary.failures[0].input.endswith("leer\\xff.txt")
        stored = corpus.failures()
        assert stored[0]["input"].endswith("leer\\xff.txt")


@pytest.mark.parametrize("text", ["!" * 20_000, "😀" * 20_000, "„" * 20_000, "x " + "!?" * 5_000 + " y"],
                         ids=["bangs", "emoji", "quotes", "mixed"])
def test_punctuation_runs_tokenize_in_linear_time(text: str) -> None:
    from newsgraph.pipeline.stages.tokens import tokenize

    # Before: 20,000 "!" took 35 s. A generous bound that only a quadratic tokenizer misses.
    start = time.process_time()
    tokens = tokenize(text)
    assert time.process_time() - start < 2.0
    assert tokens and all(s < e for s, e, _ in tokens)


def test_deeply_nested_html_is_ng014(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 5000 + GOOD * 20 + "</body></html>",
                                        encoding="utf-8")
    [failure] = _items(tmp_path / "deep.html")
    assert isinstance(failure, Failure) and failure.code == "NG014" and "nested" in failure.reason
    [deeper_allowed] = list(read_inputs([str(tmp_path / "deep.html")], max_html_depth=10_000))
    assert getattr(deeper_allowed, "code", None) != "NG014"
