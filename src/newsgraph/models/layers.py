"""spaCy components used by newsgraph's trained models (registered on import)."""

from __future__ import annotations

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
