"""Plain text files: one article per file; a first line that reads like a headline is also its title."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article

HEADLINE_MAX_CHARS = 150


def headline(text: str) -> str | None:
    """The first line as a title when it reads like a headline: short, without a sentence's final mark, and
    followed by a blank line or a longer line of body text. The text itself keeps it (offsets stay valid)."""
    lines = text.strip("\n").split("\n")
    if len(lines) < 2:
        return None
    first, second = lines[0].strip(), lines[1].strip()
    if not first or len(first) > HEADLINE_MAX_CHARS or first.endswith((".", "!", "?", ":", ";", ",", "…", "-", "–")):
        return None
    if second and len(second) <= len(first):
        return None
    body = "\n".join(lines[1:]).strip()
    return first if body else None


def articles_from_text_bytes(data: bytes, where: str, *, max_chars: int) -> Iterator[Article]:
    text, encoding = decode_bytes(data, where)
    check_length(text, where, max_chars)
    meta = {"input": where, "encoding": encoding}
    yield Article.create(text, title=headline(text), meta=meta)
