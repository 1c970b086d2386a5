"""STTS part of speech, lemma and UD morphology (Mood, Tense, Person, Number, Case, VerbForm) from the shipped
core model (``models/core-de``): one spaCy network whose tok2vec feeds a tagger, a morphologizer, an edit-tree
lemmatizer and the NER. Tags and lemmas were learnt from HanTa (see ``training/core.py``); a table of HanTa's
lemmas for the (word, tag) pairs seen in training (``lemmas.json``) comes first, the edit-tree lemmatizer
handles the rest.

This stage runs the network without the NER. The ``mentions`` stage runs all of it once and fills the same
token attributes, so the default pipeline does not run this stage.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from newsgraph.model import Article, Token
from newsgraph.models import model_path
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.spacy_doc import article_doc
from newsgraph.settings import Settings

CORE_MODEL = "core-de"
# Components that find names; the rest annotate tokens.
NER_COMPONENTS = frozenset({"ner", "newsgraph_ner_lexicon", "newsgraph_span_types"})


class CoreModel:
    """A core model folder: ``pipeline/`` (spaCy) and ``lemmas.json`` (``word<TAB>STTS`` -> HanTa's usual
    lemma, "" for the word itself). Its components are safe to call from several threads."""

    def __init__(self, folder: Path) -> None:
        import spacy

        import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the NER correction components)

        self.nlp = spacy.load(folder / "pipeline")
        with open(folder / "lemmas.json", encoding="utf-8") as fh:
            self.lemmas: dict[str, str] = json.load(fh)

    def lemma(self, word: str, tag: str, predicted: str) -> str:
        known = self.lemmas.get(f"{word}\t{tag}")
        if known is None:
            return predicted or word
        return known or word

    def run(self, doc: Any, *, names: bool) -> Any:
        for name, component in self.nlp.pipeline:
            if names or name not in NER_COMPONENTS:
                doc = component(doc)
        return doc

    def article_doc(self, article: Article, *, names: bool) -> Any:
        """The article's tokens through the network (with the NER where ``names``)."""
        return self.run(article_doc(self.nlp.vocab, article), names=names)

    def tokens(self, article: Article, doc: Any) -> list[Token]:
        """The article's tokens with the lemma, STTS tag and morphology of ``doc``."""
        return [Token(t.start, t.end, self.lemma(d.text, d.tag_, d.lemma_), d.tag_ or None, str(d.morph) or None)
                for t, d in zip(article.tokens, doc, strict=True)]

    def tag_words(self, words: list[str]) -> list[tuple[str, str]]:
        """``(lemma, STTS tag)`` per word of one pre-tokenised sentence (evaluations on gold tokens)."""
        from spacy.tokens import Doc

        if not words:
            return []
        doc = self.run(Doc(self.nlp.vocab, words=words), names=False)
        return [(self.lemma(t.text, t.tag_, t.lemma_), t.tag_) for t in doc]


@cache
def shipped_core() -> CoreModel:
    """The packaged core model, loaded once per process."""
    return CoreModel(model_path(CORE_MODEL))


def tag_words(words: list[str]) -> list[tuple[str, str]]:
    return shipped_core().tag_words(words)


@stage("morphology", requires=["tokens", "sentences"], assigns=["tokens.lemma", "tokens.pos", "tokens.morph"],
       languages=["de"])
def morphology_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Add lemma, part of speech and morphology to every token (the network without the NER)."""
    if not article.tokens:
        return {"tokens": []}
    core = shipped_core()
    return {"tokens": core.tokens(article, core.article_doc(article, names=False))}
