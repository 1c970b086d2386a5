"""STTS part of speech, lemma and UD morphology (Mood, Tense, Person, Number, Case, VerbForm) from the shipped
tagger (``models/tagger-de``): one small spaCy network with a tagger, a morphologizer and an edit-tree
lemmatizer over a shared tok2vec. It learnt its tags and lemmas from HanTa (see ``training/tagger.py``) and
runs about thirty times faster.
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article, Token
from newsgraph.models import load_spacy_model
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.spacy_doc import article_doc
from newsgraph.settings import Settings

TAGGER_MODEL = "tagger-de"


def tag_article(article: Article) -> list[Token]:
    """The article's tokens with lemma, STTS tag and morphology (pure: the article is not changed)."""
    if not article.tokens:
        return []
    nlp = load_spacy_model(TAGGER_MODEL)
    doc = article_doc(nlp.vocab, article)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return [Token(t.start, t.end, d.lemma_ or None, d.tag_ or None, str(d.morph) or None)
            for t, d in zip(article.tokens, doc, strict=True)]


def stts_tags(words: list[str]) -> list[str]:
    """STTS tags for one pre-tokenised sentence (as the NER evaluation reads GermEval's tokens)."""
    from spacy.tokens import Doc

    nlp = load_spacy_model(TAGGER_MODEL)
    doc = Doc(nlp.vocab, words=words)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return [t.tag_ for t in doc]


@stage("morphology", requires=["tokens", "sentences"], assigns=["tokens.lemma", "tokens.pos", "tokens.morph"],
       languages=["de"])
def morphology_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Add lemma, part of speech and morphology to every token."""
    return {"tokens": tag_article(article)}
