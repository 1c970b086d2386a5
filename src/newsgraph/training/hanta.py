"""HanTa (LGPL-3.0, a training-only dependency): the STTS tags and lemmas the shipped tagger learns from, and
the tags the NER model was trained with."""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


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


class HantaTagger:
    """Pipeline component: STTS tags from HanTa on Docs that have none, so the NER model sees the same tag
    feature in training (an annotating component) as it was trained with. Training only: at run time the
    shipped tagger sets the tags."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) and not all(t.tag_ for t in doc):
            for token, (_lemma, pos) in zip(doc, tag_words([t.text for t in doc]), strict=True):
                token.tag_ = pos
        return doc


@Language.factory("newsgraph_hanta_tags")
def make_hanta_tagger(nlp: Language, name: str) -> HantaTagger:
    return HantaTagger()
