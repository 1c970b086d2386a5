"""WARC archives (CC-NEWS layout): HTML response records become articles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsgraph.errors import MalformedWarc, NewsgraphError
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.html import article_from_html
from newsgraph.model import Article, Failure


def articles_from_warc(stream: BinaryIO, where: str, *, max_chars: int) -> Iterator[Article | Failure]:
    seen_any = False
    try:
        for record in ArchiveIterator(stream):
            seen_any = True
            if record.rec_type != "response":
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
            rec_where = f"{where}#{url}"
            try:
                html, _ = decode_bytes(record.content_stream().read(), rec_where)
                yield article_from_html(html, rec_where, url=url, max_chars=max_chars, published=date)
            except NewsgraphError as exc:
                yield Failure.from_error(exc, input=rec_where)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError) as exc:
        # warcio raises assorted built-in errors on damaged archives; each is recorded with its type.
        yield Failure.from_error(MalformedWarc(f"cannot read WARC: {type(exc).__name__}: {exc}", where=where),
                                 input=where)
        return
    if not seen_any:
        yield Failure.from_error(MalformedWarc("no WARC records found", where=where), input=where)
