"""HanTa, the Hanover Tagger (LGPL-3.0, used as a library; model trained on TIGER): STTS tags and lemmas for the
default ``morphology`` stage, the labels the fast tagger learns from, and the tags the NER model was trained with."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

# HanTa spends its time on two pure functions of the word: the tag distribution of a word it has not cached
# (analyze_forward) and the lemma's morpheme path given the tag (_analyze). Memoised, a news article's many
# repeated words cost one analysis each; the output is the same. Bounded, as a long-running ingest meets an
# open vocabulary.
FORWARD_CACHE = 20_000
LEMMA_CACHE = 100_000


@cache
def _tagger() -> Any:
    from HanTa import HanoverTagger as ht

    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    analyze_forward = tagger.analyze_forward  # the original bound methods, before they are replaced
    forward = lru_cache(maxsize=FORWARD_CACHE)(lambda word: tuple(analyze_forward(word)))
    tagger.analyze_forward = lambda word: list(forward(word))
    tagger._analyze = lru_cache(maxsize=LEMMA_CACHE)(tagger._analyze)
    return tagger


def stts(tag: str) -> str:
    """HanTa writes STTS with brackets ("VV(FIN)"); newsgraph uses plain STTS ("VVFIN")."""
    return tag.replace("(", "").replace(")", "")


# HanTa's morpheme search grows faster than the word: a 5,000-character "word" (a run of letters in hostile
# input) takes minutes. No German word is this long, so such a token is tagged XY (non-word) without analysis.
LONG_WORD = 80


def tag_words(words: list[str]) -> list[tuple[str, str]]:
    """``(lemma, STTS tag)`` per word of one sentence."""
    if not words:
        return []
    shown = [w if len(w) <= LONG_WORD else "XY" for w in words]
    tagged = [(lemma, stts(tag)) for _w, lemma, tag in _tagger().tag_sent(shown, taglevel=1)]
    return [(w, "XY") if len(w) > LONG_WORD else pair for w, pair in zip(words, tagged, strict=True)]
