"""Training only: the annotating component that gives the NER training Docs HanTa's STTS tags, as the
morphology stage gives them at run time. Passed to ``spacy train`` with ``--code``; dropped from the shipped
pipeline."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.pipeline.hanta import tag_words as hanta_tag_words


class HantaTagger:
    """Pipeline component: STTS tags from HanTa on Docs that have none."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) and not all(t.tag_ for t in doc):
            for token, (_lemma, pos) in zip(doc, hanta_tag_words([t.text for t in doc]), strict=True):
                token.tag_ = pos
        return doc


@Language.factory("newsgraph_hanta_tags")
def make_hanta_tagger(nlp: Language, name: str) -> HantaTagger:
    return HantaTagger()
