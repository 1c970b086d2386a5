"""Base forms of names: the nominative singular a reader looks up, whatever case the article used.

"Europäischen Union" → "Europäische Union", "Statistischen Bundesamtes" → "Statistisches Bundesamt",
"Weißen Hauses" → "Weißes Haus", "Europäischen Gerichtshof" → "Europäischer Gerichtshof", "Bundesamts für
Umwelt" → "Bundesamt für Umwelt", "Vereinten Nationen" → "Vereinte Nationen". Adjectives before the head noun
take the strong ending of the head's gender (or of the plural); the head loses a genitive -s/-es; words after
the head stay as written. Gender comes from the head's ending (``resources/de/noun_genders.txt``); a head of
unknown gender leaves the name as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from newsgraph.pipeline.resources import word_list

STRONG_ENDING = {"f": "e", "m": "er", "n": "es", "pl": "e"}


@cache
def _genders() -> tuple[tuple[str, str], ...]:
    pairs = (line.split("\t") for line in word_list("de", "noun_genders.txt"))
    return tuple(sorted(((e, g) for e, g in pairs), key=lambda p: -len(p[0])))


def gender(lemma: str) -> str | None:
    """``f``, ``m`` or ``n`` for a noun lemma by its ending, or None when no ending is known."""
    lower = lemma.lower()
    return next((g for ending, g in _genders() if lower.endswith(ending)), None)


def base_name(words: Sequence[tuple[str, str | None, str | None]]) -> str | None:
    """The base form of a name given as ``(surface, STTS tag, lemma)`` words, or None to keep it as written.

    Handles ``ADJA* NN rest``: adjectives, then the head noun, then anything (kept). Stems keep the surface's
    spelling ("US-nationale", "FC"); only endings change."""
    k = 0
    while k < len(words) and words[k][1] == "ADJA":
        k += 1
    if k >= len(words) or words[k][1] not in ("NN", "NE"):
        return None
    surface, _, lemma = words[k]
    if not lemma or not surface.lower().startswith(lemma.lower()):
        return None
    suffix = surface[len(lemma):]
    if suffix in ("", "s", "es"):
        number, head = "sg", surface[:len(lemma)]  # nominative, or a genitive -s/-es to drop
    else:
        number, head = "pl", surface  # "Nationen": a plural name stays plural
    g = "pl" if number == "pl" else gender(lemma)
    adjectives = []
    for adj_surface, _, adj_lemma in words[:k]:
        if not adj_lemma or not adj_surface.lower().startswith(adj_lemma.lower()):
            return None
        if adj_surface.lower() == adj_lemma.lower():
            adjectives.append(adj_surface)  # undeclined: "Washingtoner", "Frankfurter"
            continue
        if g is None:
            return None  # a declined adjective needs the head's gender; without it, keep the name as written
        adjectives.append(adj_surface[:len(adj_lemma)] + STRONG_ENDING[g])
    rest = [w for w, _, _ in words[k + 1:]]
    return " ".join([*adjectives, head, *rest])
