"""What Spark tasks run, as plain functions over iterators: no pyspark import here, and no analysis logic.

Reading uses the project's readers (``ingest.sources``, ``ingest.warc``, ``ingest.jsonl``), analysis the
project's pipeline (``pipeline.analyze_stream``), and rows the export's tables (``store.tables``). Records cross
Spark stages as JSON strings, so nothing depends on pickling the model classes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.ingest.limits import read_limits
from newsgraph.ingest.sources import read_file
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream
from newsgraph.settings import load_settings
from newsgraph.store.tables import ROWS

ITEM_BITS = 32  # order = file index << 32 | item index: the order ``ingest`` would read them in
UNDATED = "undated"
LOCAL_SCHEMES = ("", "file")

_PIPELINE: Pipeline | None = None  # one per executor process, loaded on its first article


def executor_pipeline(settings: dict[str, Any] | None = None) -> Pipeline:
    """The pipeline of this process, built (models loaded) once, not once per record or partition."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline(settings=settings or load_settings())
    return _PIPELINE


def local_path(uri: str) -> Path | None:
    """A local file for ``/path`` or ``file:///path``; None for a remote URI (``s3a://``, ``hdfs://``)."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return Path(uri)
    return Path(rest) if scheme in LOCAL_SCHEMES else None


def _remote_items(uri: str, settings: dict[str, Any]) -> Iterator[Article | Failure]:
    """Stream a remote file through the same readers, opened with pyarrow's file systems (S3, HDFS, GCS)."""
    import gzip

    from pyarrow import fs

    from newsgraph.ingest.jsonl import articles_from_jsonl
    from newsgraph.ingest.sources import detect_format
    from newsgraph.ingest.warc import articles_from_warc

    limits = read_limits(settings)
    filesystem, path = fs.FileSystem.from_uri(uri.replace("s3a://", "s3://", 1))
    kind = detect_format(Path(path))
    with filesystem.open_input_stream(path) as raw:
        stream: Any = gzip.GzipFile(fileobj=raw) if path.endswith(".gz") and kind == "jsonl" else raw
        if kind == "warc":
            yield from articles_from_warc(stream, uri, max_chars=limits["max_chars"],
                                          min_chars=limits["min_page_chars"],
                                          max_record_bytes=limits["max_record_bytes"])
        else:
            yield from articles_from_jsonl(stream, uri, max_chars=limits["max_chars"],
                                           max_depth=limits["max_json_depth"], min_chars=limits["min_item_chars"])


def read_input(indexed_uri: tuple[int, str], settings: dict[str, Any] | None = None) -> Iterator[tuple[str, Any]]:
    """One input file, record by record: ``(content id, (order, article JSON))`` for each article and
    ``("", failure JSON)`` for each record that could not be read. A WARC is streamed, never loaded whole."""
    file_index, uri = indexed_uri
    cfg = settings or load_settings()
    path = local_path(uri)
    items = read_file(path, None, **read_limits(cfg)) if path is not None else _remote_items(uri, cfg)
    for item_index, item in enumerate(items):
        if isinstance(item, Failure):
            yield "", json.dumps(item.to_dict(), ensure_ascii=False)
        else:
            yield item.id, ((file_index << ITEM_BITS) | item_index, json.dumps(item.to_dict(), ensure_ascii=False))


def first_in_order(a: tuple[int, str], b: tuple[int, str]) -> tuple[int, str]:
    """Of two copies of one article (same content id), the one ``ingest`` would have stored: the first read."""
    return a if a[0] <= b[0] else b


def analyse_partition(records: Iterable[tuple[int, str]], recorded_at: str,
                      settings: dict[str, Any] | None = None) -> Iterator[tuple[str, str]]:
    """Analyse a partition's articles with the project's pipeline and give every table's rows at once:
    ``(table, row as JSON)`` (with ``month`` for the article tables), so each article becomes rows while it
    is in memory, and Spark splits them by table in the JVM, without another pass through Python."""
    cfg = settings or load_settings()
    pipeline = executor_pipeline(cfg)
    orders: list[int] = []

    def articles() -> Iterator[Article]:
        for order, text in records:
            orders.append(order)
            yield Article.from_dict(json.loads(text))

    for k, out in enumerate(analyze_stream(articles(), pipeline, error_policy="record")):
        if isinstance(out, Failure):
            yield "failures", failure_row(out.to_dict(), recorded_at)
        else:
            yield from article_rows(orders[k], out)


def month_of(article: Article) -> str:
    """The partition an article's rows go to: its publication month, or ``undated``."""
    published = article.published or ""
    return published[:7] if len(published) >= 7 and published[4] == "-" else UNDATED


def article_rows(order: int, article: Article) -> Iterator[tuple[str, str]]:
    """``(table, row as JSON)`` for every table of ``export --format parquet`` and ``documents``: the rows of
    ``store.tables``, with the ``month`` they are partitioned by."""
    month = month_of(article)
    for table, rows in ROWS.items():
        for row in rows(article):
            if table == "documents":
                row["order"] = order
            yield table, json.dumps({**row, "month": month}, ensure_ascii=False)


def failure_row(f: dict[str, Any], recorded_at: str) -> str:
    """A failures-table row (columns as in ``store.tables``) of a ``Failure.to_dict()``, seen once, as JSON."""
    return json.dumps({"input": f["input"], "code": f["code"], "reason": f["reason"], "hint": f["hint"],
                       "stage": f["stage"], "recorded_at": recorded_at, "count": 1, "last_seen": recorded_at},
                      ensure_ascii=False)
