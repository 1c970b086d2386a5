"""How sure the events stage is that an event's type and source are right: a logistic model over how the roles
were read, and, where dev prefers them, over the shared pass's states of the trigger and the source.

``models/events-de/confidence.json`` holds the weights (``newsgraph train event-confidence`` fits them on the
train split of ``tests/gold/events-de.jsonl``; dev chooses between the hand features alone and with the states,
the regularisation, and the threshold below which a source is left empty). An event whose source the model
doubts keeps its type and loses its source: a wrong doer is worse than none. Its confidence is then the
model's belief in the event as it stands.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.model import EVENT_TYPES, Article, Event, EventActor

MODEL = "events-de"
CONFIDENCE_FILE = "confidence.json"
PRONOUNS = frozenset({"er", "sie", "wir", "ich", "ihr", "ihn", "ihm", "ihnen"})
HAND_FEATURES = ("bias_noun", "infinitive", "passive", "in_statement", "has_source", "source_named",
                 "source_coded", "source_person", "source_org", "source_pronoun", "source_speaker",
                 "source_before", "source_adjacent", "source_distance", "source_preposition", "noun_modifier",
                 "noun_after", "verb_subject_before", "verb_after", "source_agent", "has_target",
                 "target_named", "clause_tokens", *(f"type_{t}" for t in EVENT_TYPES))


@dataclass(frozen=True)
class ConfidenceModel:
    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    encoder: bool  # whether the weights read the shared pass's states (trigger, source) after the hand features
    drop_below: float  # a source whose event scores below this is left empty

    def score(self, x: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias))))


def load_model(path: Path) -> ConfidenceModel:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return ConfidenceModel(tuple(data["features"]), np.asarray(data["weights"], np.float32), float(data["bias"]),
                           bool(data["encoder"]), float(data["drop_below"]))


@cache
def shipped_model() -> ConfidenceModel:
    """The shipped weights (NG104 where the package lacks them)."""
    from newsgraph.models import model_path

    return load_model(model_path(MODEL) / CONFIDENCE_FILE)


def _token_at(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def hand_features(article: Article, event: Event, starts: list[int]) -> np.ndarray:
    """The hand features of one event, in HAND_FEATURES order (``starts``: the tokens' start offsets)."""
    tokens = article.tokens
    i = _token_at(starts, event.trigger.start)
    pos = tokens[i].pos or ""
    src, tgt = event.source, event.target
    words_before = article.text[max(0, event.trigger.start - 40):event.trigger.start].lower().split()
    passive = any(w in ("wurde", "wurden", "wird", "werden", "worden") for w in words_before) or \
        any(article.text[t.start:t.end].lower() in ("wurde", "wurden", "worden")
            for t in tokens[i + 1:i + 4])
    statement = article.statements[event.statement] if event.statement is not None else None
    speaker = statement.speaker if statement is not None else None
    sentence = article.sentences[event.sentence] if event.sentence is not None else None
    clause_tokens = 0.0
    if sentence is not None:
        clause_tokens = min(1.0, (bisect.bisect_left(starts, sentence.end) -
                                  bisect.bisect_left(starts, sentence.start)) / 60)

    def label(a: EventActor | None) -> str | None:
        return article.entities[a.entity].label if a is not None and a.entity is not None else None

    src_before = src is not None and src.end <= event.trigger.start
    gap = ""
    if src is not None:
        gap = article.text[src.end:event.trigger.start] if src_before else article.text[event.trigger.end:src.start]
    prep_before = agent = False
    if src is not None:
        k = _token_at(starts, src.start)
        prep_before = k > 0 and (tokens[k - 1].pos or "") in ("APPR", "APPRART")
        agent = prep_before and article.text[tokens[k - 1].start:tokens[k - 1].end].lower() in ("von", "vom", "durch")
    values = {
        "bias_noun": float(pos == "NN"),
        "infinitive": float(pos == "VVIZU" or (i > 0 and tokens[i - 1].pos == "PTKZU")),
        "passive": float(passive and pos == "VVPP"),
        "in_statement": float(statement is not None),
        "has_source": float(src is not None),
        "source_named": float(src is not None and src.entity is not None),
        "source_coded": float(src is not None and (src.country is not None or src.sector is not None)),
        "source_person": float(label(src) == "PER"),
        "source_org": float(label(src) == "ORG"),
        "source_pronoun": float(src is not None and src.text.lower() in PRONOUNS),
        "source_speaker": float(src is not None and speaker is not None and src.start == speaker.start),
        "source_before": float(src_before),
        "source_adjacent": float(src is not None and gap.strip() == ""),
        "source_distance": min(1.0, len(gap) / 80) if src is not None else 0.0,
        "source_preposition": float(prep_before),
        # how the role was read, as the rules read it (a linear model cannot combine the parts itself)
        "noun_modifier": float(pos == "NN" and src_before and gap.strip() == ""),  # "die russische Forderung"
        "noun_after": float(pos == "NN" and src is not None and not src_before),  # "Forderung Russlands"
        "verb_subject_before": float(pos != "NN" and src_before and not prep_before),
        "verb_after": float(pos != "NN" and src is not None and not src_before),
        "source_agent": float(agent),  # "von der Polizei festgenommen", "durch Serbien"
        "has_target": float(tgt is not None),
        "target_named": float(tgt is not None and tgt.entity is not None),
        "clause_tokens": clause_tokens,
        **{f"type_{t}": float(event.type == t) for t in EVENT_TYPES},
    }
    return np.asarray([values[f] for f in HAND_FEATURES], np.float32)


def encoder_features(article: Article, event: Event, starts: list[int]) -> np.ndarray:
    """The shared pass's states of the trigger and of the source's last token (zeros without a source)."""
    states = article.encoding.states
    trig = states[_token_at(starts, event.trigger.start)]
    src = states[_token_at(starts, event.source.end - 1)] if event.source is not None else np.zeros_like(trig)
    return np.concatenate([trig, src]).astype(np.float32)


def features(article: Article, event: Event, encoder: bool, starts: list[int] | None = None) -> np.ndarray:
    starts = starts if starts is not None else [t.start for t in article.tokens]
    hand = hand_features(article, event, starts)
    if not encoder:
        return hand
    return np.concatenate([hand, encoder_features(article, event, starts)])


def has_states(article: Article) -> bool:
    states = getattr(article.encoding, "states", None)
    return states is not None and len(states) == len(article.tokens)


def with_confidence(article: Article, events: list[Event], threshold: float | None = None) -> list[Event]:
    """Each event with its confidence; a source below ``threshold`` (None: the model's own) is left empty and
    the event scored again without it. Weights that read the shared pass's states leave the events of a tier
    without it unscored (confidence None)."""
    model = shipped_model()
    if model.encoder and not has_states(article):
        return events
    drop_below = model.drop_below if threshold is None else threshold
    starts = [t.start for t in article.tokens]
    out = []
    for event in events:
        p = model.score(features(article, event, model.encoder, starts))
        if event.source is not None and p < drop_below:
            event = replace(event, source=None)
            p = model.score(features(article, event, model.encoder, starts))
        out.append(replace(event, confidence=round(p, 4)))
    return out
