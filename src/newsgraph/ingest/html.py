"""HTML pages: main text, title, date, author and site name via trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import trafilatura

from newsgraph.errors import MalformedHtml, NoArticleText
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article

MIN_DATE = "1800-01-01"
# Deeper nesting is an attack or a broken generator, never an article; lxml and trafilatura recurse over it.
MAX_HTML_DEPTH = 512  # the max_html_depth setting's default
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def html_depth(html: str) -> int:
    """How deeply the tags of ``html`` nest, from one pass over its tags (no parsing; unclosed tags count)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def date_params() -> dict[str, Any]:
    """htmldate's window for plausible publication dates: from 1800 (its default, 1995, drops older
    archives) to tomorrow (time zones)."""
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    return {"original_date": True, "extensive_search": True, "min_date": MIN_DATE, "max_date": tomorrow}


def article_from_html(html: str, where: str, *, url: str | None, max_chars: int, min_chars: int = 0,
                      crawl_date: str | None = None, max_depth: int = MAX_HTML_DEPTH) -> Article:
    """The page's main text and metadata. A page without main text, or with less than ``min_chars`` of it
    (a navigation or teaser page), is NG006. ``crawl_date`` stands in for a missing page date, marked
    ``meta["published_from"] = "crawl"``."""
    if html_depth(html) > max_depth:
        raise MalformedHtml(f"tags nested deeper than {max_depth} levels (the max_html_depth setting)", where=where)
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          favor_precision=True, date_extraction_params=date_params())
    except Exception as exc:  # lxml and trafilatura raise assorted errors (AssertionError, ValueError) on tag soup
        raise NoArticleText(f"the HTML cannot be parsed: {type(exc).__name__}: {exc}", where=where) from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise NoArticleText("no main article text found in the HTML", where=where)
    if len(text.strip()) < min_chars:
        raise NoArticleText(f"the main text has {len(text.strip())} characters, under the {min_chars} a page "
                            "needs (the min_page_chars setting)", where=where)
    check_length(text, where, max_chars)
    page_url = url or getattr(doc, "url", None)
    source = getattr(doc, "sitename", None) or (urlparse(page_url).hostname if page_url else None)
    meta = {"input": where, "format": "html"}
    author = getattr(doc, "author", None)
    if author:
        meta["author"] = str(author)
    published = getattr(doc, "date", None)
    if not published and crawl_date:
        published, meta["published_from"] = crawl_date, "crawl"
    return Article.create(text, title=getattr(doc, "title", None), url=page_url, published=published,
                          source=source, meta=meta)


def articles_from_html_bytes(data: bytes, where: str, *, max_chars: int, min_chars: int = 0,
                             max_depth: int = MAX_HTML_DEPTH) -> Iterator[Article]:
    html, _ = decode_bytes(data, where)
    yield article_from_html(html, where, url=None, max_chars=max_chars, min_chars=min_chars, max_depth=max_depth)
