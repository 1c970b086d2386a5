"""HTML pages: main text via trafilatura; headline, lead, authors, publisher and dates from what the page says
about itself (page_meta, bylines)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from newsgraph.errors import MalformedHtml, NoArticleText
from newsgraph.ingest.bylines import choose_title, person_authors, publication_name
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.limits import check_length
from newsgraph.ingest.page_meta import PageMeta, read_page_meta
from newsgraph.model import Article, check_published, host_of

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
    page = _page_meta(html)
    host = host_of(page_url) if page_url else None
    source = publication_name(page.site_name, page.publisher, getattr(doc, "sitename", None), host=host)
    # the site's names: cut from titles, never authors
    not_names = [n for n in (getattr(doc, "sitename", None), page.site_name, page.publisher, source) if n]
    title = choose_title(page.h1, [page.headline, page.og_title, getattr(doc, "title", None), page.page_title],
                         site_names=not_names, host=host)
    body, in_text = without_bylines(without_boilerplate(without_title_lines(text, [title, page.h1, page.headline])))
    # the page's own author field first; trafilatura's guess only where the page names none (it can come from
    # a teaser's byline)
    authors = person_authors(page.authors, not_names=not_names) or person_authors(in_text, not_names=not_names) \
        or person_authors(byline_near_headline(page), not_names=not_names)
    if not authors and not page.authors:
        authors = person_authors(str(getattr(doc, "author", None) or "").split(";"), not_names=not_names)
    meta: dict[str, Any] = {"input": where, "format": "html"}
    published, modified = _page_dates(page, getattr(doc, "date", None))
    if not published and crawl_date:
        published, meta["published_from"] = crawl_date, "crawl"
    body = with_lead(body, page.description, page.body_text)
    return Article.create(body, title=title, url=page_url, published=published, modified=modified, source=source,
                          host=host, authors=authors, meta=meta)


def _page_meta(html: str) -> PageMeta:
    try:
        return read_page_meta(lxml.html.fromstring(html))
    except (ValueError, lxml.etree.ParserError):  # trafilatura read it; its metadata alone will do
        return PageMeta()


def _page_dates(page: PageMeta, guessed: str | None) -> tuple[str | None, str | None]:
    """The article's own datePublished / article:published_time before htmldate's guess (which can come from a
    teaser or the print issue), and its modified date."""
    window = date_params()

    def plausible(value: str | None) -> str | None:  # a real date in htmldate's window (1800 to tomorrow)
        day = check_published(value)[0] if value else None
        return value if day and window["min_date"] <= day[:10] <= window["max_date"] else None

    return plausible(page.published) or guessed, plausible(page.modified)


STAND_LINE = re.compile(r"^(?:Stand|Aktualisiert|Zuletzt aktualisiert|Veröffentlicht)(?: am)?:?\s+\d{1,2}\.\s?"
                        r"(?:\d{1,2}\.|[A-Za-zäÄ]+)\s?\d{4}.*$", re.IGNORECASE)


def without_title_lines(text: str, titles: list[str | None]) -> str:
    """The main text without leading lines that repeat the headline (with or without its kicker) and without
    "Stand: 28.04.2020 18:00 Uhr" lines: the title is its own field, never part of the first sentence."""
    keys = {_key(t) for t in titles if t} - {""}
    lines = text.split("\n")
    while lines and (not lines[0].strip() or _repeats_title(_key(lines[0]), keys)):
        lines.pop(0)
    kept = [line for line in lines if not STAND_LINE.match(line.strip())]
    return "\n".join(kept) if any(line.strip() for line in kept) else text


BYLINE = re.compile(r"^(?:(?:Ein )?(?:Kommentar|Bericht|Analyse|Gastbeitrag|Interview) )?(?:Von|Text:|Autor(?:in)?:)"
                    r"\s+\S.{2,150}$")


_BYLINE_IN_BODY = re.compile(r"\bVon ((?:[A-ZÄÖÜ][\w.'’-]*\s){1,3}[A-ZÄÖÜ][\w'’-]+(?:(?:,\s|\sund\s)(?:[A-ZÄÖÜ]"
                             r"[\w.'’-]*\s){1,3}[A-ZÄÖÜ][\w'’-]+)*)")


def byline_near_headline(page: PageMeta, window: int = 1200) -> list[str]:
    """A "Von …" byline in the visible text just after the headline (within ``window`` characters): where the
    page's author field names only the outlet and the main text left the byline out."""
    at = page.body_text.find(page.h1) if page.h1 else -1
    if at < 0:
        return []
    found = _BYLINE_IN_BODY.search(page.body_text, at, at + len(page.h1 or "") + window)
    return [found.group(1)] if found else []


def without_bylines(text: str, *, first_lines: int = 8) -> tuple[str, list[str]]:
    """The text without byline lines near its start ("Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt
    Strunz, NDR"), and those lines: they name the authors, they are not article text."""
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines[:first_lines]) if BYLINE.match(line.strip())]
    if not found or len(found) == len(lines):
        return text, []
    return "\n".join(line for i, line in enumerate(lines) if i not in found), [lines[i].strip() for i in found]


# Lines that are page furniture, not article text (seen on real pages): consent notices of embedded charts and
# videos, newsletter, app and subscription promotions, donation appeals, widget and related-article headings.
BOILERPLATE = re.compile(
    r"^(?:(?:Mehr|Weitere Artikel|Weitere Nachrichten) zum Thema\b|Lesen Sie (?:auch|mehr)\b|Das könnte Sie auch "
    r"interessieren|Beiträge aus dem Forum|Zur Startseite|Folgen Sie uns\b|Teilen Sie (?:diesen|den) Artikel|"
    r"Externe[rn]? Inhalte? (?:laden|anzeigen)|Ich bin damit einverstanden, dass mir externe Inhalte|"
    r"(?:Um|Zum) (?:diesen|den) (?:Inhalt|Beitrag|Grafik|Karte|Video)\S* (?:anzuzeigen|zu sehen)|"
    r"Mit (?:dem|einem) Klick (?:auf|zum)|Wir benötigen Ihre Zustimmung|"
    r"(?:Jetzt |Hier )?(?:den |unseren )?Newsletter (?:abonnieren|bestellen)|Melden Sie sich (?:hier )?(?:für|zum) "
    r"(?:unseren|den) Newsletter|Laden Sie (?:sich )?(?:jetzt )?(?:unsere|die) .{0,30}App|"
    r"(?:Jetzt )?(?:unterstützen|spenden) Sie\b|Unterstützen Sie (?:unabhängigen|unseren|guten) Journalismus|"
    r"Video:|Mehr Videos\b|Anzeige$|Werbung$)", re.IGNORECASE)


def without_boilerplate(text: str) -> str:
    """The text without lines of page furniture (BOILERPLATE, at most 300 characters each)."""
    kept = [line for line in text.split("\n") if not (len(line) <= 300 and BOILERPLATE.match(line.strip()))]
    return "\n".join(kept) if any(line.strip() for line in kept) else text


def _repeats_title(line: str, titles: set[str]) -> bool:
    """The line is the headline (with a kicker: at most twice its length), or a part of it of ten letters or
    more (a kicker or a headline set on two lines)."""
    return bool(line) and any((t in line and len(line) < 2 * len(t)) or (len(line) >= 10 and line in t)
                              for t in titles)


def with_lead(text: str, description: str | None, body_text: str) -> str:
    """The text with the page's lead as its first paragraph, where the page shows the lead (its description,
    found in the visible body) and the extracted text lost it; never twice."""
    if not description or len(description) < 40 or description.rstrip().endswith(("…", "...")):
        return text
    lead = " ".join(description.split())
    if _key(lead[:120]) in _key(text) or lead not in body_text:
        return text
    return f"{lead}\n{text}"


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def articles_from_html_bytes(data: bytes, where: str, *, max_chars: int, min_chars: int = 0,
                             max_depth: int = MAX_HTML_DEPTH) -> Iterator[Article]:
    html, _ = decode_bytes(data, where)
    yield article_from_html(html, where, url=None, max_chars=max_chars, min_chars=min_chars, max_depth=max_depth)
