"""Fit the event confidence (``models/events-de``): logistic weights that an event's type and source are right.

Examples are the events the rules read (``find_events``, before any confidence) on the gold sentences of
``tests/gold/events-de.jsonl``, each analysed alone by the deep reader: label 1 where the event matches a gold
event (overlapping triggers) with the same type and the same source (or none where the gold has none), 0
otherwise (a wrong source, a wrong type, or no gold event there). Train fits; dev chooses the regularisation
(log-loss), the features (the hand features alone, or with the shared pass's states of trigger and source) and
the threshold below which a source is left empty (the one that makes fewest harmful sources kept plus right
sources lost); test is only reported (bench/events.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.evaluation.events import GoldSentence, _overlaps, as_annotation, read_gold
from newsgraph.model import Article, Event
from newsgraph.pipeline.plover.confidence import CONFIDENCE_FILE, HAND_FEATURES, features

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


@dataclass
class Examples:
    hand: np.ndarray
    deep: np.ndarray
    labels: np.ndarray
    has_source: np.ndarray
    harmful_if_kept: np.ndarray  # the event has a source that did not do it
    right_if_dropped: np.ndarray  # with its source left empty, type and source would be right


def _labels(sentence: GoldSentence, article: Article, events: list[Event]) -> list[tuple[int, int, int]]:
    """(right, harmful with its source, right without its source) per event, matched one to one as scored."""
    system = [as_annotation(e, article) for e in events]
    used: dict[int, int] = {}
    for gi, g in enumerate(sentence.events):
        k = next((i for i, e in enumerate(system) if i not in used and _overlaps(g.trigger, e.trigger)), None)
        if k is not None:
            used[k] = gi
    out = []
    for k, e in enumerate(system):
        if k not in used:
            out.append((0, int(e.source is not None), 0))
            continue
        g = sentence.events[used[k]]
        type_right = e.type == g.type
        right = type_right and _overlaps(g.source, e.source)
        out.append((int(right), int(e.source is not None and not right), int(type_right and g.source is None)))
    return out


def examples(gold: list[GoldSentence]) -> Examples:
    from newsgraph import analyze
    from newsgraph.pipeline import DEFAULT_STAGES, Pipeline
    from newsgraph.pipeline.plover.extract import find_events

    # every stage the events stage reads, not the events stage itself (its confidence is what is fitted)
    pipeline = Pipeline([n for n in DEFAULT_STAGES if n not in ("events", "topics")], keep_encoding=True)
    hand, deep, labels = [], [], []
    for sentence in gold:
        article = analyze(sentence.text, pipeline=pipeline)
        events = find_events(article)
        starts = [t.start for t in article.tokens]
        for e, label in zip(events, _labels(sentence, article, events), strict=True):
            hand.append(features(article, e, False, starts))
            deep.append(features(article, e, True, starts))
            labels.append((*label, int(e.source is not None)))
    y = np.asarray(labels, np.int64).reshape(-1, 4)
    return Examples(np.asarray(hand), np.asarray(deep), y[:, 0], y[:, 3].astype(bool), y[:, 1].astype(bool),
                    y[:, 2].astype(bool))


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def _log_loss(model: Any, x: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(model.predict_proba(x)[:, 1], 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def choose_threshold(p: np.ndarray, ex: Examples) -> tuple[float, dict[str, float]]:
    """The lowest threshold at which the fewest dev sources are harmful, and what it gives: harmful sources
    kept and right events lost (right with a source that is dropped)."""
    right = ex.labels.astype(bool)
    best: tuple[int, int, float] | None = None
    for t in sorted({0.0, *np.round(p, 4).tolist()}):
        drop = (p < t) & ex.has_source
        harmful = int(np.sum(ex.harmful_if_kept & ~drop))
        lost = int(np.sum(right & drop))
        key = (harmful + lost, lost, t)  # a harmful source and a lost right one weigh the same
        if best is None or key < best:
            best = key
    assert best is not None
    _, lost, t = best
    harmful = int(np.sum(ex.harmful_if_kept & ~((p < t) & ex.has_source)))
    return float(t), {"harmful_kept": harmful, "harmful_before": int(ex.harmful_if_kept.sum()), "right_lost": lost,
                      "events": len(p)}


def fit_event_confidence(gold_path: Path, out_dir: Path) -> dict[str, Any]:
    """Fit both weight sets (hand features; hand features and the shared pass's states), keep the one with the
    lower dev log-loss, write it to ``out_dir / confidence.json`` and return the fit's record."""
    start = time.time()
    train, dev = examples(read_gold(gold_path, ["train"])), examples(read_gold(gold_path, ["dev"]))
    out_dir.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {"train_examples": len(train.labels), "train_right": int(train.labels.sum()),
                              "dev_examples": len(dev.labels), "dev_right": int(dev.labels.sum())}
    fits: dict[str, tuple[float, float, Any]] = {}
    for kind, x_train, x_dev in (("hand", train.hand, dev.hand), ("states", train.deep, dev.deep)):
        losses = {c: _log_loss(_fit(x_train, train.labels, c), x_dev, dev.labels) for c in C_GRID}
        c = min(losses, key=lambda k: losses[k])
        fits[kind] = (losses[c], c, _fit(x_train, train.labels, c))
        record[f"{kind}_dev_log_loss_by_C"] = {str(k): round(v, 4) for k, v in losses.items()}
    kind = min(fits, key=lambda k: fits[k][0])
    loss, c, model = fits[kind]
    x_dev = dev.hand if kind == "hand" else dev.deep
    threshold, at = choose_threshold(model.predict_proba(x_dev)[:, 1], dev)
    width = (train.hand if kind == "hand" else train.deep).shape[1]
    names = list(HAND_FEATURES) + [f"state_{k}" for k in range(width - len(HAND_FEATURES))]
    (out_dir / CONFIDENCE_FILE).write_text(json.dumps({
        "features": names, "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6), "encoder": kind == "states", "drop_below": round(threshold, 4),
        "C": c, "trained_on": "tests/gold/events-de.jsonl train", "selected_on": "tests/gold/events-de.jsonl dev",
        "label": "matches a gold event with the same type and source", **record,
    }, indent=1) + "\n", encoding="utf-8")
    return {"kind": kind, "C": c, "dev_log_loss": round(loss, 4), "drop_below": round(threshold, 4), **at, **record,
            "seconds": round(time.time() - start)}


def train_event_confidence_model(out: Path, *, install: bool = False) -> dict[str, Any]:
    """``events-de``: the event confidence weights and their card. The gold lives in the repository (tests/gold),
    so this needs no shared data; it runs the installed deep reader."""
    from newsgraph.training.cards import folder_size_mb, write_card
    from newsgraph.training.commands import _install

    start = time.time()
    gold = Path(__file__).resolve().parents[3] / "tests" / "gold" / "events-de.jsonl"
    model_dir = out / "events-de"
    fit = fit_event_confidence(gold, model_dir)
    card = {
        "name": "newsgraph events-de",
        "description": "confidence.json: logistic weights for the chance that an event's type and source are right, "
                       "over how the rules read its roles (and, where dev prefers them, the deep reader's states "
                       "of trigger and source); events below drop_below lose their source "
                       "(pipeline/plover/confidence.py).",
        "licence": "CC BY-NC-SA 4.0, inherited from news-quotation-2024 (the gold's Wikinews sentences come from it; "
                   "the others translate PLOVER gold-standard records, CC BY-SA 4.0)",
        "non_commercial": True,
        "training_data": "tests/gold/events-de.jsonl train (events the rules read on its sentences); selection: dev",
        "reproduce": "newsgraph train event-confidence --out DIR --install",
        "fit": fit, "training_seconds": round(time.time() - start),
    }
    card["size_mb"] = folder_size_mb(model_dir)
    write_card(model_dir, card)
    if install:
        _install(model_dir)
    return card
