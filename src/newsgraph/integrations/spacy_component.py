"""newsgraph's analysis as a spaCy component: ``nlp.add_pipe("newsgraph_statements")``.

The component runs newsgraph's German pipeline on ``doc.text`` and writes the results onto the Doc:
``doc._.newsgraph`` holds the ``Article``; ``doc.spans["newsgraph_cues"]``, ``["newsgraph_speakers"]`` and
``["newsgraph_messages"]`` hold the statement parts (label: the statement kind), and
``doc.spans["newsgraph_entities"]`` the entity mentions. Offsets are the Article's, so they line up with
``doc.text`` whatever tokenizer the Doc used.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.model import Article, content_id

if not Doc.has_extension("newsgraph"):
    Doc.set_extension("newsgraph", default=None)


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


class StatementsComponent:
    def __init__(self, stages: list[str] | None = None) -> None:
        from newsgraph.pipeline import Pipeline

        self.pipeline = Pipeline(stages) if stages else Pipeline()

    def __call__(self, doc: Doc) -> Doc:
        article = self.pipeline(Article(text=doc.text, id=content_id(doc.text)))
        doc._.newsgraph = article
        groups: dict[str, list[Span]] = {"cues": [], "speakers": [], "messages": [], "entities": []}
        for st in article.statements:
            if st.cue:
                groups["cues"].append(_span(doc, st.cue.start, st.cue.end, st.kind))  # type: ignore[arg-type]
            if st.speaker:
                groups["speakers"].append(_span(doc, st.speaker.start, st.speaker.end, st.kind))  # type: ignore[arg-type]
            groups["messages"] += [_span(doc, m.start, m.end, st.kind) for m in st.message]  # type: ignore[misc]
        groups["entities"] = [_span(doc, m.start, m.end, m.label) for m in article.mentions]  # type: ignore[misc]
        for name, spans in groups.items():
            doc.spans[f"newsgraph_{name}"] = [s for s in spans if s is not None]
        return doc


@Language.factory("newsgraph_statements", default_config={"stages": None})
def create_statements_component(nlp: Language, name: str, stages: Any) -> StatementsComponent:
    return StatementsComponent(stages)
