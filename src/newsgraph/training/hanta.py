"""HanTa (LGPL-3.0, a training-only dependency): the STTS tags and lemmas the core model learns from."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _tagger() -> Any:
    try:
        from HanTa import HanoverTagger as ht
    except ImportError as exc:
        raise ImportError("training needs HanTa: pip install -e '.[train]'") from exc
    return ht.HanoverTagger("morphmodel_ger.pgz")


def stts(tag: str) -> str:
    """HanTa writes STTS with brackets ("VV(FIN)"); newsgraph uses plain STTS ("VVFIN")."""
    return tag.replace("(", "").replace(")", "")


def tag_words(words: list[str]) -> list[tuple[str, str]]:
    """``(lemma, STTS tag)`` per word of one sentence."""
    if not words:
        return []
    return [(lemma, stts(tag)) for _w, lemma, tag in _tagger().tag_sent(words, taglevel=1)]
