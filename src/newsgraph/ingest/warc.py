"""WARC archives (CC-NEWS layout): HTML response records become articles.

warcio reads a damaged archive without complaint: a record cut short yields its partial body, and a
truncated gzip member or a record with broken headers ends the iteration early. So each record's body is
checked against its Content-Length, and the bytes after the last complete record against the file size; a
damaged record is a failure (NG012), never a partial article.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, BinaryIO, TypeVar

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsgraph.errors import DamagedWarcRecord, InputTooLarge, MalformedWarc, NewsgraphError
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.html import MAX_HTML_DEPTH, article_from_html
from newsgraph.model import Article, Failure

T = TypeVar("T")


def _html_record(record: Any) -> bool:
    if record.rec_type != "response" or not record.http_headers:
        return False
    return "html" in (record.http_headers.get_header("Content-Type") or "").lower()


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        here = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(here)
        return size
    except (OSError, ValueError):
        return None


def articles_from_warc(stream: BinaryIO, where: str, *, max_chars: int, min_chars: int = 0,
                       max_record_bytes: int = 16_000_000, max_depth: int = MAX_HTML_DEPTH
                       ) -> Iterator[Article | Failure]:
    """Articles from the HTML responses, failures for damaged records; a WARC that yields neither (no HTML
    response at all, say) is one failure, so no input is silently lost."""
    yielded = 0
    limits = {"max_chars": max_chars, "min_chars": min_chars, "max_depth": max_depth}
    for item in _read_warc(stream, where, limits, max_record_bytes):
        yielded += 1
        yield item
    if not yielded:
        yield MalformedWarc("the WARC has no HTML response record", where=where,
                            hint="newsgraph reads HTML responses (WARC-Type: response, Content-Type: text/html); "
                                 "check that this archive holds crawled pages").to_failure(input=where)


def _read_warc(stream: BinaryIO, where: str, limits: dict[str, int],
               record_limit: int) -> Iterator[Article | Failure]:
    size = _stream_size(stream)
    records = ArchiveIterator(stream)
    n_records = 0
    warnings = io.StringIO()
    try:
        for record in _captured(records, warnings):
            n_records += 1
            if warnings.getvalue():
                yield _warned(warnings, where)
            if record.rec_type is None or record.length is None:
                offset = _quiet(warnings, records.get_record_offset)
                yield DamagedWarcRecord(f"record at byte {offset} has no WARC-Type or Content-Length",
                                        where=f"{where}@{offset}").to_failure(input=where)
                continue
            if not _html_record(record):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            crawl_date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
            rec_where = f"{where}#{url}"
            # The rest of an oversized record is skipped by warcio in chunks, never held.
            body = _quiet(warnings, partial(record.content_stream().read, record_limit + 1))
            if len(body) > record_limit:
                yield InputTooLarge(f"WARC record over {record_limit:,} bytes (the max_record_bytes setting)",
                                    where=rec_where).to_failure(input=where)
                continue
            missing = getattr(record.raw_stream, "limit", 0)
            offset = _quiet(warnings, records.get_record_offset)  # after the body: asking first consumes it
            if missing:
                yield DamagedWarcRecord(f"record at byte {offset} is cut short: {missing:,} bytes of its "
                                        "Content-Length are missing", where=rec_where).to_failure(input=where)
                continue
            try:
                html, _ = decode_bytes(body, rec_where)
                yield article_from_html(html, rec_where, url=url, crawl_date=crawl_date, **limits)
            except NewsgraphError as exc:
                yield exc.to_failure(input=rec_where)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError) as exc:
        # warcio raises assorted built-in errors on damaged archives; each is recorded with its type. After a
        # good record it is a damaged record (NG012); with none read, the file is no WARC (NG008).
        error = DamagedWarcRecord if n_records else MalformedWarc
        yield error(f"cannot read the WARC after {n_records} records: {type(exc).__name__}: {exc}",
                    where=where).to_failure(input=where)
        return
    if warnings.getvalue():
        yield _warned(warnings, where)
    if not n_records:
        yield MalformedWarc("no WARC records found", where=where).to_failure(input=where)
    elif size is not None and records.offset < size and _has_data_after(stream, records.offset):
        yield DamagedWarcRecord(f"the bytes from {records.offset:,} to {size:,} are not a complete record "
                                "(a truncated archive?)", where=f"{where}@{records.offset}").to_failure(input=where)


def _quiet(warnings: io.StringIO, call: Callable[[], T]) -> T:
    """``call()`` with what warcio writes to stderr (a record longer or shorter than its Content-Length) kept
    in ``warnings``, to be reported as a failure; only around warcio's own calls, never across a yield."""
    with contextlib.redirect_stderr(warnings):
        return call()


def _captured(records: Any, warnings: io.StringIO) -> Iterator[Any]:
    iterator = iter(records)
    while (record := _quiet(warnings, lambda: next(iterator, None))) is not None:
        yield record


def _warned(warnings: io.StringIO, where: str) -> Failure:
    message = " ".join(warnings.getvalue().split())[:300]
    warnings.seek(0)
    warnings.truncate()
    return DamagedWarcRecord(f"warcio: {message}", where=where).to_failure(input=where)


def _has_data_after(stream: BinaryIO, offset: int) -> bool:
    """Whether anything but whitespace follows ``offset`` (a WARC may end in blank lines)."""
    stream.seek(offset)
    return bool(stream.read(65536).strip())
