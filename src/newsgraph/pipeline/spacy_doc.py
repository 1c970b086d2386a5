"""An article's tokens as a spaCy ``Doc``: the shipped networks read newsgraph's tokenisation, so their
offsets are the article's."""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article


def article_doc(vocab: Any, article: Article, *, tags: bool = False) -> Any:
    """A Doc over ``article.tokens`` with its sentence starts (and STTS tags, where ``tags``)."""
    from spacy.tokens import Doc

    tokens = article.tokens
    words = [article.text[t.start:t.end] for t in tokens]
    spaces = [tokens[i + 1].start > t.end if i + 1 < len(tokens) else False for i, t in enumerate(tokens)]
    starts = {s.start for s in article.sentences}
    return Doc(vocab, words=words, spaces=spaces, tags=[t.pos or "" for t in tokens] if tags else None,
               sent_starts=[t.start in starts for t in tokens])


def run_components(nlp: Any, doc: Any) -> Any:
    """``doc`` through every component of ``nlp`` in order: a Doc built from our tokens skips spaCy's own
    tokenizer, which ``nlp(text)`` would run."""
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc
