"""Property tests: whatever the bytes, every reader yields Articles and Failures only, never raises, and
loses nothing (one item per single-article file, one per JSONL line)."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.ingest import read_inputs
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<article>", "<svg>", "</html>", "<td>", "<title>",
                        "<!--", "-->", "&amp;", "&#0;", "<![CDATA[", "<script>", "<br/>", "<meta charset=x>"])
HTML = st.lists(st.one_of(TAGS, st.text(max_size=40)), max_size=60).map("".join)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)


def _read(name: str, data: bytes) -> list[Article | Failure]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read_inputs([str(path)]))
    assert items and all(isinstance(i, Article | Failure) for i in items)
    return items


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_as_text_give_one_item(data: bytes) -> None:
    assert len(_read("x.txt", data)) == 1


@FUZZ
@given(HTML)
def test_any_markup_gives_one_item(html: str) -> None:
    assert len(_read("x.html", html.encode("utf-8", "surrogatepass"))) == 1


@FUZZ
@given(st.lists(st.one_of(JSON_VALUES.map(json.dumps), st.dictionaries(st.sampled_from(
    ["text", "title", "url", "published", "meta"]), JSON_VALUES).map(json.dumps), st.text(max_size=50)),
    min_size=1, max_size=8))
def test_every_jsonl_line_gives_one_item(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    items = _read("x.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))
    non_blank = sum(1 for line in lines if line.encode("utf-8", "surrogatepass").strip())
    assert len(items) == max(1, non_blank)  # an empty file is one failure


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_feed_warc_or_gzip_never_raise(data: bytes) -> None:
    for name, payload in (("x.rss", data), ("x.warc", data), ("x.warc.gz", data), ("x.jsonl.gz", data),
                          ("y.jsonl.gz", gzip.compress(data))):
        _read(name, payload)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.text(min_size=1, max_size=1500))
def test_analyze_gives_one_article_or_failure(text: str) -> None:
    if not text.strip():
        return
    out = list(analyze_stream([Article.create(text)], PIPELINE))
    assert len(out) == 1 and isinstance(out[0], Article | Failure)


PIPELINE = Pipeline()
