"""The deep reader's statement tagging: what the lite tier's cue, span and role CRFs give the assembly in
``statements.py``, from heads on the shared pass (``Article.encoding``) instead, with no second encoder run.

- per sentence: P(cue), P(speaker), P(message) for every token (the confidence model's signals, and the cue
  decision) and the span labels of cue-less statements;
- per cue: the role head over its window's token states (the cue's mean state, marks for the cue and the other
  cues, distance and sentence offset) gives speaker / message / addressee labels and the statement's kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsgraph.errors import StageFailed
from newsgraph.model import Article
from newsgraph.models.reader import Encoding, Heads, role_inputs, viterbi
from newsgraph.pipeline.stages.statement_confidence import Signals
from newsgraph.pipeline.stages.statement_features import cue_window


def _inside(probs: np.ndarray, labels: list[str], role: str) -> np.ndarray:
    inside: np.ndarray = probs[:, [k for k, lab in enumerate(labels) if lab[2:] == role]].sum(axis=1)
    return inside


def encoding_of(article: Article) -> Encoding:
    if not isinstance(article.encoding, Encoding):
        raise StageFailed("the deep statements need the reading stage's token states (Article.encoding)",
                          where=article.id)
    return article.encoding


@dataclass
class DeepStatementTagger:
    heads: Heads

    def sentence_tags(self, article: Article) -> tuple[Signals, list[str]]:
        """Per token: the signals (P(cue) is the mean of the cue and span heads', as the lite tier averages its
        two CRFs) and the span head's BIO labels, decoded as valid BIO per sentence."""
        enc = encoding_of(article)
        heads = self.heads
        cues_lp = heads.token_head("cues", enc.states)
        spans_lp = heads.token_head("spans", enc.states)
        spans_p = np.exp(spans_lp)
        cue_labels, span_labels = heads.labels["cues"], heads.labels["spans"]
        cue = (_inside(np.exp(cues_lp), cue_labels, "CUE") + _inside(spans_p, span_labels, "CUE")) / 2
        speaker, message = _inside(spans_p, span_labels, "SPK"), _inside(spans_p, span_labels, "MSG")
        off = ~enc.covered
        cue[off], speaker[off], message[off] = 0.0, 0.0, 0.0
        labels = ["O"] * len(article.tokens)
        for i in range(len(article.sentences)):
            idx = list(article.sentence_tokens(i))
            if idx:
                for t, k in zip(idx, viterbi(spans_lp[idx], span_labels), strict=True):
                    labels[t] = span_labels[k] if enc.covered[t] else "O"
        return Signals(cue, speaker, message), labels

    def cue_roles(self, article: Article, sentence_of: list[int], cues: list[set[int]]
                  ) -> list[tuple[list[int], list[str], str]]:
        """Per cue (its token indices): its window, the role labels of the window's tokens and the kind."""
        enc = encoding_of(article)
        heads = self.heads
        role_labels, kind_labels = heads.labels["roles"], heads.labels["kind"]
        every = set().union(*cues) if cues else set()
        out = []
        for cue in cues:
            idx = cue_window(sentence_of, cue)
            marks, dist, offsets = role_inputs(idx, cue, every - cue, sentence_of)
            log_probs, kind = heads.roles(enc.states[idx], marks, dist, offsets)
            out.append((idx, [role_labels[k] for k in viterbi(log_probs, role_labels)], kind_labels[kind]))
        return out
