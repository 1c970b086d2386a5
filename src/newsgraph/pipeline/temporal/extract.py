"""Find and resolve every time expression of a text: the pure function behind the ``times`` stage."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from functools import cache

from newsgraph.model import Sentence, TimeExpression, Token
from newsgraph.pipeline.temporal.resolve import Resolver
from newsgraph.pipeline.temporal.rules import find_candidates
from newsgraph.pipeline.temporal.tense import WERDEN, Word, clause_tense

CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")"})


def published_day(published: str | None) -> dt.date | None:
    """The day of an ISO date or datetime; None when missing or not a date."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def find_times(text: str, published: dt.date | None, sentences: Sequence[Sentence],
               tokens: Sequence[Token]) -> list[TimeExpression]:
    """Time expressions of ``text`` with TIMEX3 values; tags and lemmas on ``tokens`` (when present) set the
    tense that decides the direction of relative dates."""
    candidates = find_candidates(text)
    if not candidates:
        return []
    sent_starts = [s.start for s in sentences]
    tok_starts = [t.start for t in tokens]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(sent_starts, pos) - 1)

    @cache
    def clause(sent: int, pos: int) -> str | None:
        if not sentences:
            return None
        s = sentences[sent]
        lo, hi = bisect.bisect_left(tok_starts, s.start), bisect.bisect_left(tok_starts, s.end)
        words = [Word(text[t.start:t.end], t.pos, t.lemma, t.morph) for t in tokens[lo:hi]]
        at = bisect.bisect_right(tok_starts, pos, lo, hi) - 1 - lo
        start = max((i + 1 for i in range(at) if words[i].text in CLAUSE_BREAKS), default=0)
        end = next((i for i in range(max(at, 0), len(words)) if words[i].text in CLAUSE_BREAKS), len(words))
        part = words[start:end]
        if not any(_finite(w) for w in part):
            part = words
        return clause_tense(part)

    def tense(pos: int) -> str | None:
        return clause(sentence_of(pos), pos)

    resolver = Resolver(published, tense, sentence_of)
    return [resolver.resolve(c) for c in candidates]


def _finite(w: Word) -> bool:
    if w.pos:
        return w.pos.endswith("FIN")
    return w.text.lower() in WERDEN
