"""How sure the fast tier is of a statement: a logistic model over what its taggers were sure of.

Per token, the CRFs' marginal probabilities that it is part of a cue, a speaker or a message; per statement,
their means over its cue, speaker and message, whether the speaker is a resolved entity, a pronoun or missing,
and its kind. ``models/statements-de/confidence.json`` holds the weights, fitted on news-quotation-2024 dev
(the CRFs' own training split would make them overconfident) to predict that the statement matches a gold
annotation (mean role F1 ≥ 0.5, as quote-level scoring pairs
them); ``bench/statements.py`` prints precision and recall at confidence thresholds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.model import Article, SpeakerSpan, Statement, TextSpan
from newsgraph.pipeline.stages.statement_features import overlapping

KINDS = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
FEATURES = ("p_cue", "p_speaker", "p_message", "has_cue", "has_speaker", "speaker_entity", "speaker_pronoun",
            "quoted", "message_tokens", *(f"kind_{k}" for k in KINDS))
PRONOUNS = frozenset({"PPER", "PDS", "PRELS", "PIS", "PPOSAT"})
CONFIDENCE_FILE = "confidence.json"


def label_probability(tagger: Any, items: list[dict[str, float]], role: str) -> list[float]:
    """P(token is inside ``role``) for each item: the B- and I- marginals of a CRF."""
    tagger.set(items)
    labels = set(tagger.labels())
    return [sum(tagger.marginal(f"{p}-{role}", i) for p in "BI" if f"{p}-{role}" in labels)
            for i in range(len(items))]


@dataclass(frozen=True)
class Signals:
    """Per token of the article: P(cue), P(speaker), P(message)."""

    cue: np.ndarray
    speaker: np.ndarray
    message: np.ndarray

    @classmethod
    def of(cls, sentences: list[list[dict[str, float]]], cues: Any, spans: Any) -> Signals:
        cue: list[float] = []
        speaker: list[float] = []
        message: list[float] = []
        for items in sentences:
            by_cues = label_probability(cues, items, "CUE")
            by_spans = label_probability(spans, items, "CUE")
            cue += [(a + b) / 2 for a, b in zip(by_cues, by_spans, strict=True)]
            speaker += label_probability(spans, items, "SPK")
            message += label_probability(spans, items, "MSG")
        return cls(np.asarray(cue), np.asarray(speaker), np.asarray(message))


def _mean(article: Article, values: np.ndarray, spans: list[TextSpan] | list[SpeakerSpan]) -> float:
    idx = [i for s in spans for i in overlapping(article.tokens, s.start, s.end) if i < len(values)]
    return float(values[idx].mean()) if idx else 0.0


def features(article: Article, st: Statement, signals: Signals) -> list[float]:
    speaker_tokens = list(overlapping(article.tokens, st.speaker.start, st.speaker.end)) if st.speaker else []
    message_tokens = sum(len(overlapping(article.tokens, m.start, m.end)) for m in st.message)
    quoted = bool(st.message) and article.text[st.message[0].start:st.message[0].start + 1] in "„»\""
    return [
        _mean(article, signals.cue, [st.cue, *st.cue_parts] if st.cue else []),
        _mean(article, signals.speaker, [st.speaker] if st.speaker else []),
        _mean(article, signals.message, list(st.message)),
        float(st.cue is not None), float(st.speaker is not None),
        float(st.speaker is not None and st.speaker.entity is not None),
        float(bool(speaker_tokens) and all(article.tokens[i].pos in PRONOUNS for i in speaker_tokens)),
        float(quoted), min(message_tokens / 30, 1.0),
        *(float(st.kind == k) for k in KINDS),
    ]


@cache
def load_weights(path: Path) -> tuple[np.ndarray, float] | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} do not match this newsgraph's {list(FEATURES)}")
    return np.asarray(data["weights"], dtype=np.float64), float(data["bias"])


def with_confidence(article: Article, statements: list[Statement], signals: Signals,
                    weights: tuple[np.ndarray, float] | None) -> list[Statement]:
    """Each statement with its confidence (None when the model folder has no confidence weights)."""
    if weights is None or not statements:
        return statements
    w, b = weights
    x = np.asarray([features(article, st, signals) for st in statements])
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    return [replace(st, confidence=round(float(c), 4)) for st, c in zip(statements, p, strict=True)]
