"""Find and resolve every time expression of a text: the pure function behind the ``times`` stage."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

from newsgraph.model import Sentence, TimeExpression, Token
from newsgraph.pipeline.temporal.resolve import Resolver
from newsgraph.pipeline.temporal.rules import find_candidates
from newsgraph.pipeline.temporal.tense import WERDEN, Word, clause_tense

CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")"})
CLAUSE_WINDOW = 40  # tokens looked at on each side of an expression




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

    @lru_cache(maxsize=256)
    def sentence_words(sent: int) -> tuple[int, list[Word]]:
        s = sentences[sent]
        lo, hi = bisect.bisect_left(tok_starts, s.start), bisect.bisect_left(tok_starts, s.end)
        return lo, [Word(text[t.start:t.end], t.pos, t.lemma, t.morph) for t in tokens[lo:hi]]

    @lru_cache(maxsize=4096)
    def clause_of(sent: int, start: int, end: int) -> str | None:
        words = sentence_words(sent)[1]
        part = words[start:end]
        if not any(_finite(w) for w in part):  # no verb in the clause: the sentence around it decides
            part = words[max(0, start - CLAUSE_WINDOW):end + CLAUSE_WINDOW]
        return clause_tense(part)

    def clause(sent: int, pos: int) -> str | None:
        if not sentences:
            return None
        lo, words = sentence_words(sent)
        at = max(0, bisect.bisect_right(tok_starts, pos) - 1 - lo)
        # clause breaks are looked for within a window, so one endless "sentence" costs no more than a short one
        first = max(0, at - CLAUSE_WINDOW)
        start = max((i + 1 for i in range(first, min(at, len(words))) if words[i].text in CLAUSE_BREAKS),
                    default=first)
        last = min(len(words), at + CLAUSE_WINDOW)
        end = next((i for i in range(at, last) if words[i].text in CLAUSE_BREAKS), last)
        return clause_of(sent, start, end)

    def tense(pos: int) -> str | None:
        return clause(sentence_of(pos), pos)

    resolver = Resolver(published, tense, sentence_of)
    return [resolver.resolve(c) for c in candidates]


def _finite(w: Word) -> bool:
    if w.pos:
        return w.pos.endswith("FIN")
    return w.text.lower() in WERDEN
