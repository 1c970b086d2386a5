"""Blocks that the spaCy training configs of the tagger and the NER share."""

from __future__ import annotations

CORPORA = """[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0"""

BATCHER = """[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001"""

TOK2VEC = """[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

{embed}

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3"""

LISTENER_HEAD = """[components.{name}]
factory = "{factory}"{extra}

[components.{name}.model]
@architectures = "spacy.Tagger.v2"
nO = null

[components.{name}.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "tok2vec"
"""


def tok2vec_block(width: int, depth: int, embed: str) -> str:
    """The shared ``tok2vec`` component: ``embed`` (an embedding block, already formatted) and a maxout window
    encoder of ``width`` and ``depth``."""
    return TOK2VEC.format(embed=embed, width=width, depth=depth)


def listener_heads(width: int, heads: list[tuple[str, str, str]]) -> str:
    """Config blocks of tagger-like components (name, factory, extra settings) listening to ``tok2vec``."""
    return "\n".join(LISTENER_HEAD.format(name=name, factory=factory, extra=extra, width=width)
                     for name, factory, extra in heads)
