"""Plain text files: one article per file; the first line is not guessed to be a title."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article


def articles_from_text_bytes(data: bytes, where: str, *, max_chars: int) -> Iterator[Article]:
    text, encoding = decode_bytes(data, where)
    check_length(text, where, max_chars)
    meta = {"input": where, "encoding": encoding}
    yield Article.create(text, meta=meta)
