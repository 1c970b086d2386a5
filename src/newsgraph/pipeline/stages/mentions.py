"""Named entity mentions, with each token's lemma, tag and morphology, from one pass of the core model
(``models/core-de``, see the ``morphology`` stage): the NER shares the tok2vec with the tagger.

GermEval's outer labels come in three forms: names (``LOC``: "Ukraine"), derivations (``LOCderiv``:
"russischen") and parts (``LOCpart``: "Ukraine-Konflikt"). newsgraph keeps the four types as ``label``
and the form as ``Mention.form`` ("deriv" / "part"; None for a name). Only names start entities; parts are
linked to an entity when the name they contain is one (see the ``entities`` stage).
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article, Mention
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.stages.morphology import shipped_core
from newsgraph.settings import Settings


def split_label(label: str) -> tuple[str, str | None]:
    """``LOCderiv`` -> (``LOC``, ``deriv``); ``PER`` -> (``PER``, None)."""
    for form in ("deriv", "part"):
        if label.endswith(form):
            return label[: -len(form)], form
    return label, None


def mentions_of(article: Article, doc: Any) -> list[Mention]:
    """Mentions from the network's entities (offsets from the article's tokens, not from spaCy's text)."""
    mentions = []
    for ent in doc.ents:
        label, form = split_label(ent.label_)
        start, end = article.tokens[ent.start].start, article.tokens[ent.end - 1].end
        mentions.append(Mention(start, end, article.text[start:end], label, None, form))
    return mentions


@stage("mentions", requires=["tokens", "sentences"],
       assigns=["mentions", "tokens.lemma", "tokens.pos", "tokens.morph"], languages=["de"])
def mentions_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Find person, location, organisation and other name mentions (and tag every token on the way)."""
    if not article.tokens:
        return {"mentions": [], "tokens": []}
    core = shipped_core()
    doc = core.article_doc(article, names=True)
    return {"mentions": mentions_of(article, doc), "tokens": core.tokens(article, doc)}
