"""What a news page says about itself: JSON-LD (schema.org NewsArticle), Open Graph and article meta tags, the
visible headline. Read with lxml, independently of trafilatura, so that the article's own dates, headline, lead,
authors and publisher win over guesses from teasers and related-article boxes."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                           "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
                           "webpage"})


@dataclass
class PageMeta:
    headline: str | None = None  # JSON-LD headline
    h1: str | None = None  # the visible headline
    og_title: str | None = None
    page_title: str | None = None  # <title>
    description: str | None = None  # JSON-LD description, og:description or meta description
    published: str | None = None  # JSON-LD datePublished or article:published_time
    modified: str | None = None  # JSON-LD dateModified or article:modified_time
    authors: list[str] = field(default_factory=list)  # JSON-LD author names, meta author
    publisher: str | None = None  # JSON-LD publisher.name
    site_name: str | None = None  # og:site_name
    body_text: str = ""  # the visible text of the body, whitespace collapsed, to find a lead in


def _text(value: Any) -> str | None:
    """A string value with its whitespace collapsed and entities decoded (JSON-LD often holds "&#8211;")."""
    return " ".join(html.unescape(value).split()) if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    """``author`` in JSON-LD: a string, an object with ``name``, or a list of either."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name:
            out.append(name)
    return out


def _json_ld_objects(data: Any) -> list[dict[str, Any]]:
    """Every object in a JSON-LD document, ``@graph`` and lists included."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(found) < 200:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in kinds)


def _from_json_ld(tree: Any, meta: PageMeta) -> None:
    articles: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]')[:20]:
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # invalid JSON (an unescaped quote in a headline): the other sources stand in
        articles += [o for o in _json_ld_objects(data) if _is_article(o)]
    # the page's own article: a news type before WebPage, the first of its kind
    articles.sort(key=lambda o: str(o.get("@type")).lower() == "webpage")
    for obj in articles[:1]:
        meta.headline = _text(obj.get("headline"))
        meta.description = _text(obj.get("description"))
        meta.published = _text(obj.get("datePublished"))
        meta.modified = _text(obj.get("dateModified"))
        meta.authors = _names(obj.get("author"))
        publisher = obj.get("publisher")
        meta.publisher = _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)


def _meta_tag(tree: Any, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            if _text(value):
                return _text(value)
    return None


def read_page_meta(tree: Any) -> PageMeta:
    """The page's own metadata from an lxml HTML tree (None where the page says nothing)."""
    meta = PageMeta()
    _from_json_ld(tree, meta)
    meta.og_title = _meta_tag(tree, "og:title")
    meta.page_title = _text(tree.findtext(".//title"))
    meta.site_name = _meta_tag(tree, "og:site_name")
    meta.description = meta.description or _meta_tag(tree, "og:description", "description")
    if meta.description:  # "Von Gregory Lipinski Herr Vilanek, …": a byline before the lead is no part of it
        meta.description = re.sub(r"^Von (?:[A-ZÄÖÜ][\w.-]*\s){1,2}(?=[A-ZÄÖÜ])", "", meta.description, count=1)
    meta.published = meta.published or _meta_tag(tree, "article:published_time", "datePublished")
    meta.modified = meta.modified or _meta_tag(tree, "article:modified_time", "og:updated_time", "dateModified")
    if not meta.authors:
        meta.authors = [a for a in [_meta_tag(tree, "author", "article:author")] if a and "://" not in a]
    headings = tree.xpath("//article//h1") or tree.xpath("//main//h1") or tree.xpath("//h1")
    if headings:
        meta.h1 = _text(re.sub(r"\s+:\s", ": ", headings[0].text_content()))
    body = tree.find("body")
    if body is not None:
        for junk in body.xpath(".//script | .//style | .//noscript"):
            junk.drop_tree()
        meta.body_text = " ".join(body.text_content().split())
    return meta
