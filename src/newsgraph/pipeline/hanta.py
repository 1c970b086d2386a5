"""HanTa, the Hanover Tagger (LGPL-3.0, used as a library; model trained on TIGER): STTS tags and lemmas for the
default ``morphology`` stage, the labels the fast tagger learns from, and the tags the NER model was trained with."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _tagger() -> Any:
    from HanTa import HanoverTagger as ht

    return ht.HanoverTagger("morphmodel_ger.pgz")


def stts(tag: str) -> str:
    """HanTa writes STTS with brackets ("VV(FIN)"); newsgraph uses plain STTS ("VVFIN")."""
    return tag.replace("(", "").replace(")", "")


def tag_words(words: list[str]) -> list[tuple[str, str]]:
    """``(lemma, STTS tag)`` per word of one sentence."""
    if not words:
        return []
    return [(lemma, stts(tag)) for _w, lemma, tag in _tagger().tag_sent(words, taglevel=1)]
