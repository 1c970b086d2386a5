"""Who wrote a page and who published it, and its clean headline: pure functions over the strings pages give.

- ``person_authors``: bylines ("Von Ingo Arzt", "Markus M Haefliger; London; Beat Bumbacher") to person names;
  organisations, places and site names named as authors are dropped (they are the source, not an author).
- ``publication_name``: the publication's name from og:site_name / JSON-LD publisher, without legal forms, seats
  and URLs ("TAZ Verlags- und Vertriebs GmbH" -> "taz"), from a shipped table for hosts it knows.
- ``clean_title``: the headline without the site's suffix (" - WELT", " | DW | 28.04.2023").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from newsgraph.models.first_names import first_names

_SPLIT = re.compile(r"\s*(?:;|\||/|,|&|\bund\b|\band\b|\bsowie\b)\s*")
_PREFIX = re.compile(r"^(?:(?:ein )?(?:Bericht|Kommentar|Text|Analyse|Interview|Gastbeitrag)?\s*(?:von|by|vom|"
                     r"autor(?:in)?:|text:|von:)\s+)", re.IGNORECASE)
_NAME_PART = re.compile(r"^(?:[A-ZÄÖÜÀ-Þ][\w'’-]*\.?|[A-Z]\.|(?:von|van|de|der|zu|di|da|del|la|le|ten|ter|bin|al)|"
                        r"[A-ZÄÖÜ][a-zäöüß]+-[A-ZÄÖÜ][a-zäöüß]+)$")
NOT_A_PERSON = frozenset({
    "online", "redaktion", "newsroom", "zeitung", "nachrichten", "news", "agentur", "dpa", "afp", "reuters",
    "ap", "kna", "epd", "sid", "apa", "sda", "gmbh", "verlag", "media", "medien", "team", "tv", "radio", "de",
    "com", "net", "ch", "at", "spiegel", "welt", "zeit", "focus", "stern", "tagesschau", "deutschland", "germany",
    "hamburg", "berlin", "münchen", "wien", "zürich", "london", "staff", "editorial", "desk", "service",
})
_LEGAL = re.compile(r"\s*(?:\bVerlags?-?\s*(?:und|&)\s*Vertriebs\s*GmbH|\bVerlag(?:sgesellschaft)?\b.*|\bGmbH\b.*|"
                    r"\bmbH\b.*|\bAG\b.*|\b(?:KG|KGaA|SE|e\.\s?V\.)\b.*|&\s*Co\.?.*)$")
_DATE_PART = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$|^\d{4}-\d{2}-\d{2}$")
_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")


def _looks_like_person(name: str, not_names: set[str]) -> bool:
    parts = name.split()
    if not 2 <= len(parts) <= 5 or any(ch.isdigit() for ch in name) or "@" in name or "://" in name:
        return False
    if name.lower() in not_names or any(p.lower().strip(".") in NOT_A_PERSON for p in parts):
        return False
    if not all(_NAME_PART.match(p) for p in parts) or not parts[-1][:1].isupper():
        return False
    first = parts[0].rstrip(".")
    return len(first) == 1 or first in first_names() or first.split("-")[0] in first_names()


def person_authors(bylines: Iterable[str], *, not_names: Iterable[str] = ()) -> list[str]:
    """The person names in ``bylines``, each once, in order; initials kept as written. ``not_names``: the
    publication and site names, which are never authors."""
    excluded = {n.lower() for n in not_names if n}
    out: dict[str, None] = {}
    seen: set[str] = set()
    for byline in bylines:
        for part in _SPLIT.split(_PREFIX.sub("", " ".join(byline.split()))):
            name = re.sub(r"\s*\((?:dpa|afp|reuters|ap|kna|epd)[^)]*\)?$", "", part.strip(), flags=re.IGNORECASE)
            name = _PREFIX.sub("", name).strip(" :()")
            key = re.sub(r"\W", "", name.lower())  # "Markus M. Haefliger" and "Markus M Haefliger" are one
            if _looks_like_person(name, excluded) and key not in seen:
                out[name] = None
                seen.add(key)
    return list(out)


@cache
def known_publications() -> dict[str, str]:
    """host -> the publication's name, for outlets whose pages name their publisher badly (resources/
    publishers.tsv, newsgraph's own list)."""
    table = files("newsgraph.ingest") / "resources" / "publishers.tsv"
    out = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            host, name = line.split("\t", 1)
            out[host.strip()] = name.strip()
    return out


def _publication_for_host(host: str | None) -> str | None:
    while host:
        if host in known_publications():
            return known_publications()[host]
        host = host.partition(".")[2] if host.count(".") > 1 else None  # wien.orf.at -> orf.at
    return None


def publication_name(*candidates: str | None, host: str | None = None) -> str | None:
    """The publication's name: the shipped name for a known host, else the first candidate that is a name (not
    a URL), without its legal form and seat ("DER SPIEGEL, Hamburg, Germany" -> "DER SPIEGEL"); else the host."""
    known = _publication_for_host(host)
    if known:
        return known
    for candidate in candidates:
        if not candidate or "://" in candidate or candidate.lower().startswith("www."):
            continue
        name = _LEGAL.sub("", candidate.split(",")[0]).strip(" -–|")
        if name:
            return name
    return host


def clean_title(title: str | None, *, site_names: Iterable[str] = (), host: str | None = None) -> str | None:
    """``title`` without trailing segments that name the site or give a date ("… - WELT", "… | DW | 28.04.2023")."""
    if not title:
        return title
    sites = {re.sub(r"\W", "", s.lower()) for s in site_names if s}
    if host:
        sites.add(re.sub(r"\W", "", host.split(".")[-2] if host.count(".") else host).lower())
    sites.discard("")
    text = " ".join(title.split())
    while True:
        separators = list(_SEPARATORS.finditer(text))
        if not separators:
            break
        tail = text[separators[-1].end():].strip()
        key = re.sub(r"\W", "", tail.lower())
        names_site = bool(key) and any(key == s or (len(key) >= 2 and (key in s or s in key)) for s in sites)
        if not (_DATE_PART.match(tail) or names_site):
            break
        text = text[:separators[-1].start()].rstrip()
    return text or " ".join(title.split())


_WORD = re.compile(r"\w{3,}")


def choose_title(h1: str | None, candidates: list[str | None], *, site_names: Iterable[str] = (),
                 host: str | None = None) -> str | None:
    """The headline a reader sees: the visible ``h1`` when it is this article's (it shares at least half its
    words with the metadata's title; a teaser's h1 shares none), written as the metadata writes it where the
    two differ only in punctuation ("Kicker Headline" / "Kicker: Headline"); else the metadata's title. Site
    suffixes are removed from all of them."""
    sites = list(site_names)
    titles = [t for t in (clean_title(c, site_names=sites, host=host) for c in candidates) if t]
    if not h1 or not titles:
        return titles[0] if titles else clean_title(h1, site_names=sites, host=host)
    key = re.sub(r"\W", "", h1.lower())
    same = next((t for t in titles if re.sub(r"\W", "", t.lower()) == key), None)
    if same:
        return same
    kicker = titles[0][:-len(h1)].rstrip(" :–-") if titles[0].endswith(h1) else None
    if kicker and len(kicker.split()) >= 2:  # "Siemens und die Kohlemine Adani: Kaeser …": a kicker, kept
        return titles[0]
    words, title_words = set(_WORD.findall(h1.lower())), set(_WORD.findall(titles[0].lower()))
    if words and len(words & title_words) >= 0.5 * min(len(words), len(title_words)):
        return clean_title(h1, site_names=sites, host=host)
    return titles[0]
