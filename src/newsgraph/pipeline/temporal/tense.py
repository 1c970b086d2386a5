"""Which way a clause points in time: ``past``, ``future`` or None (present, or no verb to tell).

With STTS tags (the morphology stage) a clause is future when a form of *werden* governs an infinitive, past when
a finite verb is preterite or *haben*/*sein* go with a participle. Without tags, word lists stand in for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.pipeline.resources import word_list


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    pos: str | None = None
    lemma: str | None = None
    morph: str | None = None


WERDEN = frozenset({"wird", "werden", "werde", "wirst", "werdet"})
PERFECT_AUX = frozenset({"hat", "haben", "habe", "hast", "habt", "ist", "sind", "bin", "bist", "seid",
                         "hatte", "hatten", "hattest", "war", "waren", "warst", "wart"})
# Finite forms that are past without a participle; regular preterites (-te, -ten) are found by their ending.
PRETERITE = frozenset(word_list("de", "time_preterites.txt"))
# Words that set a clause in the future even in the present tense ("Am Freitag reist er …" is read as present).
FUTURE_WORDS = frozenset({"soll", "sollen", "will", "wollen", "plant", "planen", "geplant", "voraussichtlich",
                          "kommenden", "kommende", "kommendes", "nächsten", "nächste", "nächstes", "morgen",
                          "übermorgen", "demnächst", "bald", "künftig", "bevorstehenden", "beabsichtigt"})
PAST_WORDS = frozenset({"gestern", "vorgestern", "vergangenen", "vergangene", "vergangenes", "damals", "zuvor",
                        "kürzlich", "jüngst", "bereits"})


def _is_past_finite(w: Word) -> bool:
    if w.morph and "Tense=Past" in w.morph and "VerbForm=Fin" in w.morph:
        return True
    lower = w.text.lower()
    if lower in PRETERITE:
        return True
    if w.pos in ("VVFIN", "VMFIN") and w.lemma and lower.endswith(("te", "ten", "test", "tet")):
        stem = w.lemma.lower().removesuffix("n").removesuffix("e")
        return lower.startswith(stem) and len(lower) > len(stem)
    return False


def clause_tense(words: Sequence[Word]) -> str | None:
    """``past``, ``future`` or None for the words of one clause."""
    lowers = [w.text.lower() for w in words]
    tagged = any(w.pos for w in words)
    future = past = False
    for i, (w, lower) in enumerate(zip(words, lowers, strict=True)):
        if lower in WERDEN:
            rest = words[i + 1:]
            if tagged:
                infinitive = any(r.pos in ("VVINF", "VAINF", "VMINF") for r in rest)
                participle = any(r.pos in ("VVPP", "VAPP") for r in rest)
                future = future or (infinitive and not participle)
            else:
                future = future or any(r.text.islower() and r.text.endswith("en") for r in rest[-2:])
        elif _is_past_finite(w) or (lower in PERFECT_AUX and any(r.pos in ("VVPP", "VAPP", "VMPP") for r in words[i + 1:])):
            past = True
    if past and not future:
        return "past"
    if future and not past:
        return "future"
    if not (past or future):
        if any(lower in PAST_WORDS for lower in lowers):
            return "past"
        if any(lower in FUTURE_WORDS for lower in lowers):
            return "future"
    return None
