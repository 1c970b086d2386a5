"""Modality of an event's clause: happened, planned, hypothetical or negated."""

from __future__ import annotations

from newsgraph.model import Article
from newsgraph.pipeline.temporal.tense import Word, clause_tense

HYPOTHETICAL = frozenset({"könnte", "könnten", "würde", "würden", "falls", "möglicherweise", "mögliche",
                          "möglichen", "mögliches", "möglicher", "eventuell", "unmöglich"})
PREVENTING = frozenset({"verhindern", "absagen", "unterbinden", "ausscheiden", "scheitern"})
PLANNED = frozenset({"plant", "planen", "geplant", "geplante", "geplanten", "beabsichtigt", "will", "wollen",
                     "soll", "sollen", "bald", "morgen", "künftig", "kommende", "kommenden", "nächste", "nächsten",
                     "bereit", "bereitschaft", "angekündigt", "kündigte", "kündigt", "ankündigen", "ankündigung",
                     "angesetzt", "bevorstehenden", "bevorstehende", "vorgesehen"})
NEGATIONS = frozenset({"nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner", "keines"})


def clause_modality(article: Article, words: list[str], c_lo: int, c_hi: int, reported: bool, i: int) -> str:
    lowers = [w.lower() for w in words[c_lo:c_hi]]
    tokens = article.tokens[c_lo:c_hi]
    lemmas = {(t.lemma or "").lower() for t in tokens}
    if any(w in NEGATIONS for w in lowers) or lemmas & PREVENTING:
        return "negated"
    if any(w in HYPOTHETICAL for w in lowers) or (not reported and any(w in ("wäre", "wären") for w in lowers)):
        return "hypothetical"
    # "soll … geholfen haben", "sollen … getötet worden sein": hearsay about the past, not a plan
    hearsay = any(w in ("soll", "sollen") for w in lowers) and any(t.pos == "VAINF" for t in tokens)
    if hearsay:
        return "happened"
    if _to_infinitive(article, words, i, c_lo, c_hi) or any(w in PLANNED for w in lowers) or \
            clause_tense([Word(words[c_lo + k], t.pos, t.lemma, t.morph) for k, t in enumerate(tokens)]) == "future":
        return "planned"
    return "happened"


def _to_infinitive(article: Article, words: list[str], i: int, c_lo: int, c_hi: int) -> bool:
    """"angekündigt, zurückzutreten", "bereit, seine Truppen abzuziehen", "Beschluss, Gespräche zu führen": the
    trigger is, or is the object of, an infinitive with "zu" (an intention or an offer)."""
    tokens = article.tokens
    for j in range(i, c_hi):
        pos = tokens[j].pos or ""
        if pos == "VVIZU" or (pos in ("VVINF", "VAINF") and j > 0 and words[j - 1].lower() == "zu"):
            return True
        if pos.endswith("FIN") and j > i:
            return False
    return False


