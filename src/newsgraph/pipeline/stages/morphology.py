"""Lemma and STTS part of speech with HanTa's German model (trained on TIGER, bundled with HanTa)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsgraph.model import Article, Token
from newsgraph.pipeline.registry import stage


@lru_cache(maxsize=1)
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


@stage("morphology", requires=["tokens", "sentences"], assigns=["tokens.lemma", "tokens.pos"],
       languages=["de"])
def morphology_stage(article: Article) -> dict[str, Any]:
    """Add lemma and part of speech to every token, sentence by sentence."""
    out: list[Token] = []
    tokens = article.tokens
    i = 0
    for sent in article.sentences:
        j = i
        while j < len(tokens) and tokens[j].end <= sent.end:
            j += 1
        words = [article.text[t.start:t.end] for t in tokens[i:j]]
        for tok, (lemma, pos) in zip(tokens[i:j], tag_words(words), strict=True):
            out.append(Token(tok.start, tok.end, lemma, pos))
        i = j
    out.extend(tokens[i:])
    return {"tokens": out}
