"""spaCy components that correct the NER network's output in the shipped ``ner-de`` pipeline: a lexicon from
GermEval train and a span classifier. Importing this module registers their factories; load the pipeline after."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.models.first_names import first_names


class NerLexicon:
    """Pipeline component after ``ner``: what the GermEval training data says about strings the network
    forgot. Three rules, each measured on GermEval dev (docs/stages/mentions.md):

    * a predicted entity whose exact string training labels one way (80 % of the time) takes that label
      ("Bayern" predicted LOC, trained ORG);
    * a capitalised token outside any entity that training labels as one entity and rarely leaves
      unlabelled becomes that entity;
    * a hyphenated compound outside any entity whose first part is a trained name becomes a ``part``
      ("Nokia-Werkes" ORGpart, "Mars-Sonde" LOCpart).
    """

    def __init__(self) -> None:
        # Not named ``labels``: spaCy would list every string in meta.json as a label of the component.
        self.usual: dict[str, str] = {}  # entity string -> its usual label
        self.always: dict[str, str] = {}  # single tokens that are nearly always this entity
        self.first_parts: dict[str, str] = {}  # name -> type, for "<name>-<noun>" compounds

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        spans = [Span(doc, e.start, e.end, self.usual.get(e.text, e.label_)) for e in doc.ents]
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
        data = {"labels": self.usual, "always": self.always, "first_parts": self.first_parts}
        (path / "lexicon.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> NerLexicon:
        data = json.loads((path / "lexicon.json").read_text(encoding="utf-8"))
        self.usual, self.always, self.first_parts = data["labels"], data["always"], data["first_parts"]
        return self


@Language.factory("newsgraph_ner_lexicon")
def make_ner_lexicon(nlp: Language, name: str) -> NerLexicon:
    return NerLexicon()


def span_type_features(words: list[str], tags: list[str], start: int, end: int) -> dict[str, float]:
    """What says which kind of name a span is: its words, affixes and STTS tags, the words around it, and
    whether it starts with a first name (gender-guesser's list)."""
    span = words[start:end]
    f = {"bias": 1.0, f"len={min(end - start, 4)}": 1.0, f"first={span[0].lower()}": 1.0,
         f"last={span[-1].lower()}": 1.0, f"pre3={span[0][:3].lower()}": 1.0,
         f"tags={'_'.join(tags[start:end][:3])}": 1.0, f"cap={span[0][:1].isupper()}": 1.0,
         f"allcaps={span[-1].isupper() and len(span[-1]) > 1}": 1.0, f"hyphen={'-' in ''.join(span)}": 1.0,
         f"digit={any(ch.isdigit() for ch in ''.join(span))}": 1.0}
    for w in span:
        f[f"w={w.lower()}"] = 1.0
    for n in (2, 3, 4):
        f[f"suf{n}={span[-1][-n:].lower()}"] = 1.0
    if span[0] in first_names():
        f["first_name"] = 1.0
        if len(span) > 1 and span[-1][:1].isupper():
            f["first_name_plus"] = 1.0
    for offset, key in ((-1, "p1"), (-2, "p2")):
        if start + offset >= 0:
            f[f"{key}={words[start + offset].lower()}"] = 1.0
            f[f"{key}t={tags[start + offset]}"] = 1.0
    for offset, key in ((0, "n1"), (1, "n2")):
        if end + offset < len(words):
            f[f"{key}={words[end + offset].lower()}"] = 1.0
            f[f"{key}t={tags[end + offset]}"] = 1.0
    return f


SPAN_TYPE_THRESHOLD = 0.6  # relabel when the span classifier is this sure of another label (chosen on dev)


class SpanTypes:
    """Pipeline component after the lexicon: a maxent classifier over whole spans (trained on GermEval train's
    gold spans) relabels an entity when it is at least SPAN_TYPE_THRESHOLD sure of another label. The
    transition-based NER decides labels token by token; this one sees the span's words, affixes, a first-name
    list and its neighbours at once."""

    def __init__(self) -> None:
        self.model: bytes = b""
        # A pycrfsuite Tagger holds the item it was last ``set`` to: one per thread keeps concurrent calls apart.
        self._per_thread = threading.local()

    def _open(self) -> Any:
        tagger = getattr(self._per_thread, "tagger", None)
        if tagger is None:
            import pycrfsuite

            tagger = self._per_thread.tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.model)
        return tagger

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        if not doc.ents or not self.model:
            return doc
        tagger = self._open()
        labels = tagger.labels()
        words, tags = [t.text for t in doc], [t.tag_ or "-" for t in doc]
        spans = []
        for e in doc.ents:
            tagger.set([span_type_features(words, tags, e.start, e.end)])
            best = max(labels, key=lambda lab: tagger.marginal(lab, 0))
            label = best if best != e.label_ and tagger.marginal(best, 0) >= SPAN_TYPE_THRESHOLD else e.label_
            spans.append(Span(doc, e.start, e.end, label))
        doc.ents = spans
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "span_types.crfsuite").write_bytes(self.model)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> SpanTypes:
        self.model = (path / "span_types.crfsuite").read_bytes()
        self._per_thread = threading.local()
        return self


@Language.factory("newsgraph_span_types")
def make_span_types(nlp: Language, name: str) -> SpanTypes:
    return SpanTypes()
