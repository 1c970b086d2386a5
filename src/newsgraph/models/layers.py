"""spaCy components used by newsgraph's trained models (registered on import)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc


class HantaTagger:
    """Pipeline component: STTS tags from HanTa on Docs that have none, so the NER model sees the same tag
    feature in training (an annotating component) as at run time (where the morphology stage set them)."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) and not all(t.tag_ for t in doc):
            from newsgraph.pipeline.stages.morphology import tag_words

            for token, (_lemma, pos) in zip(doc, tag_words([t.text for t in doc]), strict=True):
                token.tag_ = pos
        return doc


@Language.factory("newsgraph_hanta_tags")
def make_hanta_tagger(nlp: Language, name: str) -> HantaTagger:
    return HantaTagger()


class NerLexicon:
    """Pipeline component after ``ner``: what the GermEval training data says about strings the network
    forgot. Three rules, each measured on GermEval dev (docs/stages/entities.md):

    * a predicted entity whose exact string was labelled one way in training (at least twice, 80 % of the
      time) takes that label ("Bayern" predicted LOC, trained ORG);
    * a capitalised token outside any entity that training labels as one entity at least twice and rarely
      leaves unlabelled becomes that entity;
    * a hyphenated compound outside any entity whose first part is a trained name becomes a ``part``
      ("Nokia-Werkes" ORGpart, "Mars-Sonde" LOCpart).
    """

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # entity string -> its usual label
        self.always: dict[str, str] = {}  # single tokens that are nearly always this entity
        self.first_parts: dict[str, str] = {}  # name -> type, for "<name>-<noun>" compounds

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        spans = [Span(doc, e.start, e.end, self.labels.get(e.text, e.label_)) for e in doc.ents]
        taken = {i for s in spans for i in range(s.start, s.end)}
        for token in doc:
            if token.i in taken:
                continue
            text = token.text
            label = self.always.get(text)
            first, _, rest = text.partition("-")
            if label is None and rest and first[:1].isupper() and first in self.first_parts:
                label = self.first_parts[first] + "part"
            if label is not None:
                spans.append(Span(doc, token.i, token.i + 1, label))
        doc.ents = sorted(spans, key=lambda s: s.start)
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        path.mkdir(parents=True, exist_ok=True)
        data = {"labels": self.labels, "always": self.always, "first_parts": self.first_parts}
        (path / "lexicon.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> NerLexicon:
        data = json.loads((path / "lexicon.json").read_text(encoding="utf-8"))
        self.labels, self.always, self.first_parts = data["labels"], data["always"], data["first_parts"]
        return self


@Language.factory("newsgraph_ner_lexicon")
def make_ner_lexicon(nlp: Language, name: str) -> NerLexicon:
    return NerLexicon()
