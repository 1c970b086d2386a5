"""RSS and Atom feeds: one article per item, from the item's content or summary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlparse

import feedparser
import lxml.etree
import lxml.html

from newsgraph.errors import EmptyInput, MalformedFeed, NewsgraphError, NoArticleText
from newsgraph.ingest.bylines import person_authors
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article, Failure


def _item_text(entry: feedparser.FeedParserDict) -> str:
    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    html = "\n".join(p for p in parts if p)
    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
            block.tail = "\n" + (block.tail or "")  # keep paragraph breaks that text_content() would drop
        text = str(root.text_content())
    except (ValueError, lxml.etree.LxmlError) as exc:  # control characters, broken markup
        raise NoArticleText(f"the item's HTML cannot be parsed: {type(exc).__name__}: {exc}") from exc
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _iso_date(entry: feedparser.FeedParserDict, *keys: str) -> str | None:
    parsed = next((entry.get(k) for k in keys if entry.get(k)), None)
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _authors(entry: feedparser.FeedParserDict) -> list[str]:
    """The item's authors (``<author>``, ``<dc:creator>``, Atom ``<author><name>``), persons only."""
    names = [str(a["name"]) for a in entry.get("authors") or () if isinstance(a, dict) and a.get("name")]
    return person_authors(names or [str(entry.get("author") or "")])


def articles_from_feed_bytes(data: bytes, where: str, *, max_chars: int,
                             min_chars: int = 0) -> Iterator[Article | Failure]:
    if not data.strip():
        raise EmptyInput("feed file is empty", where=where)
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = str(feed.get("bozo_exception") or "no items")
        raise MalformedFeed(f"feed has no readable items: {reason}", where=where)
    outlet = feed.feed.get("title") or None
    for i, entry in enumerate(feed.entries):
        item_where = f"{where}#item{i}"
        try:
            text = _item_text(entry)
            if not text:
                raise NoArticleText("feed item has no text", where=item_where)
            check_length(text, item_where, max_chars, min_chars)
        except NewsgraphError as exc:
            yield exc.to_failure(input=item_where)
            continue
        link = entry.get("link")
        yield Article.create(
            text, title=entry.get("title"), url=link, published=_iso_date(entry, "published_parsed", "updated_parsed"),
            modified=_iso_date(entry, "updated_parsed"), authors=_authors(entry),
            source=outlet or (urlparse(link).hostname if link else None),
            meta={"input": item_where, "format": "feed"},
        )
    if feed.get("bozo"):
        yield (MalformedFeed(f"feed is not well-formed ({feed.get('bozo_exception')}); "
                          f"{len(feed.entries)} items were still read", where=where)).to_failure(
            input=where,
        )
