"""STTS part of speech and lemma for every token, from one of two taggers (the ``tagger`` setting):

* ``hanta`` (default): HanTa, the Hanover Tagger (LGPL-3.0, trained on TIGER), sentence by sentence. The NER
  and statements models were trained on its tags.
* ``fast``: the shipped ``models/tagger-de``, one small spaCy network (tagger, morphologizer, edit-tree
  lemmatizer over one tok2vec) that learnt HanTa's tags and lemmas (``training/tagger.py``), faster than HanTa on
  a cold cache, and that also gives UD morphology (Mood, Tense, Person, Number, Case, VerbForm) in ``Token.morph``.
  A table of HanTa's lemmas for the (word, tag) pairs seen in training (``lemmas.json``) comes before the
  lemmatizer. Its tags differ from HanTa's on about 4 % of tokens, and the NER and statements models lose
  accuracy on them (docs/stages/morphology.md), so it is not the default.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from newsgraph.model import Article, Token
from newsgraph.models import model_path
from newsgraph.pipeline.hanta import tag_words as hanta_tag_words
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.spacy_doc import article_doc, run_components
from newsgraph.settings import Settings

TAGGER_MODEL = "tagger-de"


class Tagger:
    """A tagger model folder: ``pipeline/`` (spaCy) and ``lemmas.json`` (``word<TAB>STTS`` -> HanTa's usual
    lemma, "" for the word itself). Its components are safe to call from several threads."""

    def __init__(self, folder: Path) -> None:
        import spacy

        self.nlp = spacy.load(folder / "pipeline")
        with open(folder / "lemmas.json", encoding="utf-8") as fh:
            self.lemmas: dict[str, str] = json.load(fh)

    def lemma(self, word: str, tag: str, predicted: str) -> str:
        known = self.lemmas.get(f"{word}\t{tag}")
        if known is None:
            return predicted or word
        return known or word

    def tag_article(self, article: Article) -> list[Token]:
        """The article's tokens with lemma, STTS tag and morphology."""
        doc = run_components(self.nlp, article_doc(self.nlp.vocab, article))
        return [Token(t.start, t.end, self.lemma(d.text, d.tag_, d.lemma_), d.tag_ or None, str(d.morph) or None)
                for t, d in zip(article.tokens, doc, strict=True)]

    def tag_words(self, words: list[str]) -> list[tuple[str, str]]:
        """``(lemma, STTS tag)`` per word of one pre-tokenised sentence (evaluations on gold tokens)."""
        from spacy.tokens import Doc

        if not words:
            return []
        doc = run_components(self.nlp, Doc(self.nlp.vocab, words=words))
        return [(self.lemma(t.text, t.tag_, t.lemma_), t.tag_) for t in doc]


@cache
def shipped_tagger() -> Tagger:
    """The packaged fast tagger, loaded once per process."""
    return Tagger(model_path(TAGGER_MODEL))


def hanta_tokens(article: Article) -> list[Token]:
    """The article's tokens with HanTa's lemma and STTS tag, tagged sentence by sentence."""
    out: list[Token] = []
    tokens = article.tokens
    i = 0
    for sent in article.sentences:
        j = i
        while j < len(tokens) and tokens[j].end <= sent.end:
            j += 1
        words = [article.text[t.start:t.end] for t in tokens[i:j]]
        for tok, (lemma, pos) in zip(tokens[i:j], hanta_tag_words(words), strict=True):
            out.append(Token(tok.start, tok.end, lemma, pos))
        i = j
    out.extend(tokens[i:])
    return out


def stts_tags(words: list[str], tagger: str = "hanta") -> list[str]:
    """STTS tags for one pre-tokenised sentence (evaluations on gold tokens) from either tagger."""
    pairs = shipped_tagger().tag_words(words) if tagger == "fast" else hanta_tag_words(words)
    return [tag for _lemma, tag in pairs]


@stage("morphology", requires=["tokens", "sentences"], assigns=["tokens.lemma", "tokens.pos", "tokens.morph"],
       languages=["de"])
def morphology_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Add lemma and part of speech (and, with the fast tagger, morphology) to every token."""
    if not article.tokens:
        return {"tokens": []}
    if settings.get("tagger", "hanta") == "fast":
        return {"tokens": shipped_tagger().tag_article(article)}
    return {"tokens": hanta_tokens(article)}


PUNCTUATION_TAGS = {".": "$.", "!": "$.", "?": "$.", ";": "$.", ":": "$.", ",": "$,"}


def deep_tokens(article: Article) -> list[Token]:
    """STTS tag, lemma (the known lemma of the word and tag, else an edit rule applied to it) and UD features
    of every token, from the heads on the shared pass; a token the pass did not reach keeps no tag."""
    from newsgraph.models.reader import MORPH_FEATURES, deep_lemma, shipped_heads
    from newsgraph.pipeline.stages.statements_deep import encoding_of

    enc = encoding_of(article)
    heads = shipped_heads()
    stts = heads.token_head("stts", enc.states).argmax(axis=1)
    rules = heads.token_head("lemma", enc.states).argmax(axis=1)
    features = {f: heads.token_head(f, enc.states).argmax(axis=1) for f in MORPH_FEATURES if f in heads.labels}
    out = []
    for i, tok in enumerate(article.tokens):
        word = article.text[tok.start:tok.end]
        if not enc.covered[i]:  # past the piece limit, or outside every sentence: punctuation needs no encoder
            tag = PUNCTUATION_TAGS.get(word, "$(") if word and not any(ch.isalnum() for ch in word) else None
            out.append(Token(tok.start, tok.end, word if tag else None, tag))
            continue
        morph = "|".join(f"{f}={heads.labels[f][v[i]]}" for f, v in sorted(features.items())
                         if heads.labels[f][v[i]] != "_")
        tag = heads.labels["stts"][stts[i]]
        out.append(Token(tok.start, tok.end, deep_lemma(word, tag, heads.labels["lemma"][rules[i]]), tag,
                         morph or None))
    return out


@stage("morphology", requires=["tokens", "sentences", "encoding"],
       assigns=["tokens.lemma", "tokens.pos", "tokens.morph"], languages=["de"], variant="deep")
def morphology_deep(article: Article, settings: Settings) -> dict[str, Any]:
    """Add lemma, part of speech and morphology to every token (heads on the shared pass)."""
    return {"tokens": deep_tokens(article) if article.tokens else []}
