"""The deep reader's shared pass: one run of the encoder per sentence (``models/reader.py``), whose token states
the deep variants of the morphology, mentions and statements stages read from ``Article.encoding``, and the
article's story vector (``Article.story_vector``: the title's and the lead's states pooled). The lite
and accurate tiers leave this stage out."""

from __future__ import annotations

from typing import Any

import numpy as np

from newsgraph.model import Article
from newsgraph.models.reader import Encoding, require_reader, shipped_reader, story_vector
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.stages.statement_features import sentence_groups
from newsgraph.settings import Settings


def encode_article(article: Article, threads: int = 1) -> Encoding:
    """Token states of the whole article, sentence by sentence (a token the encoder's 510-piece limit cut off
    keeps zeros and ``covered`` False)."""
    reader = shipped_reader(threads)
    tokens = article.tokens
    groups = list(sentence_groups(article).values())
    states = np.zeros((len(tokens), reader.hidden), np.float32)
    covered = np.zeros(len(tokens), bool)
    passes = reader.sentences(article.text, [[(tokens[i].start, tokens[i].end) for i in idx] for idx in groups])
    for idx, one in zip(groups, passes, strict=True):
        states[idx] = one.states
        covered[idx] = one.covered
    return Encoding(states, covered)


@stage("reading", requires=["tokens", "sentences"], assigns=["encoding", "story_vector"], languages=["de"],
       variant="deep", check=require_reader)
def reading_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Read every sentence once with the shared encoder: the token states the deep heads use, and the story
    vector (title and lead) the corpus clusters stories by, so the writer runs no encoder of its own."""
    encoding = encode_article(article, int(settings.get("reader_threads", 1)))
    return {"encoding": encoding, "story_vector": story_vector(article, encoding)}
