"""Named entity mentions with the project's GermEval-trained spaCy model (``models/ner-de``).

GermEval's outer labels come in three forms: names (``LOC``: "Ukraine"), derivations (``LOCderiv``:
"russischen") and parts (``LOCpart``: "Ukraine-Konflikt"). newsgraph keeps the four types as ``label``
and the form as ``Mention.form`` ("deriv" / "part"; None for a name). Only names start entities; parts are
linked to an entity when the name they contain is one (see the ``coref`` stage).
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article, Mention
from newsgraph.models import load_spacy_model
from newsgraph.pipeline.registry import stage

NER_MODEL = "ner-de"


def split_label(label: str) -> tuple[str, str | None]:
    """``LOCderiv`` -> (``LOC``, ``deriv``); ``PER`` -> (``PER``, None)."""
    for form in ("deriv", "part"):
        if label.endswith(form):
            return label[: -len(form)], form
    return label, None


def recognise(article: Article) -> list[Mention]:
    """Mentions over the article's tokens (offsets from the tokens, not from spaCy's text)."""
    from spacy.tokens import Doc

    nlp = load_spacy_model(NER_MODEL)
    tokens = article.tokens
    if not tokens:
        return []
    words = [article.text[t.start:t.end] for t in tokens]
    spaces = [tokens[i + 1].start > t.end if i + 1 < len(tokens) else False for i, t in enumerate(tokens)]
    # The model reads HanTa's STTS tags (Token.tag_) as a feature, as it did in training.
    doc = Doc(nlp.vocab, words=words, spaces=spaces, tags=[t.pos or "" for t in tokens])
    sent_starts = {s.start for s in article.sentences}
    for i, t in enumerate(tokens):
        doc[i].is_sent_start = t.start in sent_starts
    doc = nlp(doc)
    mentions = []
    for ent in doc.ents:
        label, form = split_label(ent.label_)
        start, end = tokens[ent.start].start, tokens[ent.end - 1].end
        mentions.append(Mention(start, end, article.text[start:end], label, None, form))
    return mentions


@stage("entities", requires=["tokens", "sentences", "tokens.pos"], assigns=["mentions"], languages=["de"])
def entities_stage(article: Article) -> dict[str, Any]:
    """Find person, location, organisation and other name mentions."""
    return {"mentions": recognise(article)}
