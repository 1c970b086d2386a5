"""HTML pages: main text, title, date, author and site name via trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import trafilatura

from newsgraph.errors import NoArticleText
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article


def article_from_html(html: str, where: str, *, url: str | None, max_chars: int,
                      published: str | None = None) -> Article:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise NoArticleText("no main article text found in the HTML", where=where)
    check_length(text, where, max_chars)
    page_url = url or getattr(doc, "url", None)
    source = getattr(doc, "sitename", None) or (urlparse(page_url).hostname if page_url else None)
    meta = {"input": where, "format": "html"}
    author = getattr(doc, "author", None)
    if author:
        meta["author"] = str(author)
    return Article.create(
        text, title=getattr(doc, "title", None), url=page_url,
        published=getattr(doc, "date", None) or published, source=source, meta=meta,
    )


def articles_from_html_bytes(data: bytes, where: str, *, max_chars: int) -> Iterator[Article]:
    html, _ = decode_bytes(data, where)
    yield article_from_html(html, where, url=None, max_chars=max_chars)
