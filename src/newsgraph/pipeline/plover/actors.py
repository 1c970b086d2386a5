"""PLOVER actor coding: a country (ISO 3166 alpha-3, or an organisation's code) and a sector for a span of text.

"US-Verteidigungsminister" is USA/MIL, "Russlands Präsident" RUS/GOV, "der Kreml" RUS/GOV, "die russische
Forderung" RUS, "vonseiten Kiews" UKR/GOV, "die Polizei" COP with the country left to the context.
"""

from __future__ import annotations

import re

from newsgraph.model import Entity
from newsgraph.pipeline.plover import lexicon as lx

_WORD = re.compile(r"[\wÄÖÜäöüß]+(?:-[\wÄÖÜäöüß]+)*")


def _whole_name(lower: str) -> tuple[str | None, str | None] | None:
    """A capital or seat (its government), an organisation or group, or a country, named exactly."""
    names, _adjectives, capitals = lx.countries()
    actors = lx.actor_words()
    if lower in capitals:
        return capitals[lower], "GOV"
    if lower in actors:
        return actors[lower].country, actors[lower].sector
    if lower in names:
        return names[lower], None
    return None


def code_word(word: str) -> tuple[str | None, str | None]:
    """``(country, sector)`` of one word (either may be None)."""
    names, adjectives, _capitals = lx.countries()
    actors = lx.actor_words()
    lower = word.lower()
    whole = _whole_name(lower)
    if whole is not None:
        return whole
    if "-" in lower:  # "US-Präsident", "EU-Kommission", "Nato-Gipfel"
        head, _, rest = lower.partition("-")
        country = names.get(head) or (actors[head].country if head in actors else None)
        return country, code_word(rest)[1] if rest else None
    stem = next((s for s in adjectives if lower.startswith(s) and len(lower) - len(s) <= 3), None)
    if stem is not None:
        return adjectives[stem], None
    nationals = _nationals(lower)
    if nationals is not None:  # "Albaner", "Türken", "Palästinensern": the people of the country
        return nationals, None
    role = next((r for r in lx.role_suffixes() if lower.endswith(r) and len(lower) > len(r) + 2), None)
    if role is not None:  # a compound role noun: "Außenminister"
        return None, actors[role].sector
    return None, None


NATIONAL_ENDINGS = ("innen", "ern", "er", "en", "in", "e", "n")


def _nationals(lower: str) -> str | None:
    """The country of a nationality noun, from its adjective: "albaner" + "albanisch", "türken" + "türkisch"."""
    adjectives = lx.countries()[1]
    for ending in NATIONAL_ENDINGS:
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            code = adjectives.get(lower[: -len(ending)] + "isch")
            if code is not None:
                return code
    return None


def code_text(text: str) -> tuple[str | None, str | None]:
    """``(country, sector)`` of a phrase: whole multi-word names first ("Weißen Hauses", "Europäische Union"),
    then word by word; the first country and the first sector found win."""
    whole = _whole_name(text.lower())
    if whole is not None:
        return whole
    country = sector = None
    for word in _WORD.findall(text):
        c, s = code_word(word)
        country = country or c
        sector = sector or s
    return country, sector


def code_entity(entity: Entity) -> tuple[str | None, str | None]:
    """A person is coded by their roles ("US-Präsident"); a place that acts is its government; an organisation
    by its name ("Nato", "US-Regierung", "Kreml")."""
    if entity.label == "PER":
        country = sector = None
        for role in entity.roles:
            c, s = code_text(role)
            country = country or c
            sector = sector or s
        return country, sector
    country, sector = code_text(entity.name)
    if country is None:
        for alias in entity.aliases:
            country, sector = code_text(alias)
            if country:
                break
    if entity.label == "LOC" and country is not None:
        sector = sector or "GOV"
    return country, sector
