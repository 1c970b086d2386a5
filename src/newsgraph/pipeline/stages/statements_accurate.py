"""The accurate tier's statement tagging: what the fast tier's cue, span and role CRFs give the assembly in
``statements.py``, from the encoder's heads (``models/accurate.py``) instead.

- per sentence: P(cue), P(speaker), P(message) for every token (the confidence model's signals, and the cue
  decision) and the span labels of cue-less statements;
- per cue, in its window with the cue marked: speaker / message / addressee labels, and the statement's kind.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from newsgraph.model import Article
from newsgraph.models.accurate import (
    CUE_LABELS,
    KIND_LABELS,
    MARK_CUE,
    MARK_OTHER_CUE,
    ROLE_LABELS,
    SPAN_LABELS,
    StatementTagger,
    run_windows,
    token_log_probs,
    token_window,
    viterbi,
)
from newsgraph.pipeline.stages.statement_confidence import Signals
from newsgraph.pipeline.stages.statement_features import cue_window, sentence_groups


def _inside(probs: np.ndarray, labels: tuple[str, ...], role: str) -> np.ndarray:
    inside: np.ndarray = probs[:, [k for k, lab in enumerate(labels) if lab[2:] == role]].sum(axis=1)
    return inside


def sentence_tags(article: Article, tagger: StatementTagger) -> tuple[Signals, list[str]]:
    """Per token: the signals (P(cue) is the mean of the cue and span heads', as the fast tier averages its
    two CRFs), and the span head's BIO labels."""
    groups = list(sentence_groups(article).values())
    windows = [token_window(tagger.encoder, article, idx) for idx in groups]
    n = len(article.tokens)
    cue, speaker, message = np.zeros(n), np.zeros(n), np.zeros(n)
    labels = ["O"] * n
    heads = tagger.network.heads
    for idx, win, (states, _marks) in zip(groups, windows, run_windows(windows, tagger.encode, tagger.pad),
                                          strict=True):
        cues_lp = token_log_probs(heads["cues"](states), win)
        spans_lp = token_log_probs(heads["spans"](states), win)
        spans_p = np.exp(spans_lp)
        cue[idx] = (_inside(np.exp(cues_lp), CUE_LABELS, "CUE") + _inside(spans_p, SPAN_LABELS, "CUE")) / 2
        speaker[idx] = _inside(spans_p, SPAN_LABELS, "SPK")
        message[idx] = _inside(spans_p, SPAN_LABELS, "MSG")
        for i, k in zip(idx, viterbi(spans_lp, SPAN_LABELS), strict=True):
            labels[i] = SPAN_LABELS[k]
    return Signals(cue, speaker, message), labels


def cue_roles(article: Article, sentence_of: list[int], cues: list[set[int]], tagger: StatementTagger
              ) -> list[tuple[list[int], list[str], str]]:
    """Per cue (its token indices): its window, the role labels of the window's tokens and the kind."""
    every_cue = set().union(*cues) if cues else set()
    items: list[tuple[list[int], Any]] = []
    for cue in cues:
        idx = cue_window(sentence_of, cue)
        marks = [MARK_CUE if i in cue else MARK_OTHER_CUE if i in every_cue else 0 for i in idx]
        items.append((idx, token_window(tagger.encoder, article, idx, marks)))
    network = tagger.network
    out = []
    for (idx, win), (states, marks) in zip(items, run_windows([w for _, w in items], tagger.encode, tagger.pad),
                                           strict=True):
        roles = [ROLE_LABELS[k] for k in viterbi(token_log_probs(network.heads["roles"](states), win), ROLE_LABELS)]
        kind = network.heads["kind"](network.cue_state(states[None], marks[None]))[0].argmax().item()
        out.append((idx, roles, KIND_LABELS[kind]))
    return out


class AccurateStatementTagger:
    """The accurate tier's tagger behind the interface the assembly calls (as ``DeepStatementTagger``)."""

    def __init__(self, tagger: StatementTagger) -> None:
        self.tagger = tagger

    def sentence_tags(self, article: Article) -> tuple[Signals, list[str]]:
        return sentence_tags(article, self.tagger)

    def cue_roles(self, article: Article, sentence_of: list[int], cues: list[set[int]]
                  ) -> list[tuple[list[int], list[str], str]]:
        return cue_roles(article, sentence_of, cues, self.tagger)
