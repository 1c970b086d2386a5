"""Fit the statements model's confidence weights (pipeline/stages/statement_confidence.py) on
news-quotation-2024 dev: each predicted statement is an example, positive when quote-level scoring pairs it
with a gold annotation at mean role F1 ≥ 0.5. Dev, not train: on the documents they were trained on the CRFs
are right far more often (80 % of their statements) than on unseen news, and the confidence is meant for
unseen news. Test stays for reporting."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.evaluation.statements import gold_units, greedy_pairs, mean_role_f1, predicted_units
from newsgraph.model import Article, content_id
from newsgraph.pipeline.runner import Pipeline
from newsgraph.pipeline.stages.statement_confidence import CONFIDENCE_FILE, FEATURES, features
from newsgraph.pipeline.stages.statements import open_taggers, statements_and_signals
from newsgraph.settings import load_settings

MATCH = 0.5  # mean role F1 with the paired gold annotation that makes a statement right
SPLIT = "dev"


def examples(data: Path, model_dir: Path, split: str = "train", limit: int | None = None, *,
             accurate: Path | None = None, tier: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and right/wrong labels of every statement the model predicts on ``split`` (with
    ``accurate``, an accurate-tier model folder: as the accurate tier predicts them; with ``tier="deep"``: as the
    installed deep reader does)."""
    tier = tier or ("accurate" if accurate else "lite")
    taggers = open_taggers(model_dir, tier=tier, accurate=accurate)
    prep = Pipeline(["tokens", "reading", "morphology", "mentions", "entities"],
                    settings={**load_settings(), "tier": tier}, keep_encoding=True)
    rows: list[list[float]] = []
    labels: list[int] = []
    for path in sorted((data / "statements/news-quotation-2024/data" / split).glob("*.json"))[:limit]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["originalText"]
        article = prep(Article(text=text, id=content_id(text), language="de"))
        statements, signals = statements_and_signals(article, taggers)
        article = article.with_layers(statements=statements)
        gold, pred = gold_units(doc["annotations"]), predicted_units(article, doc["tokens"])
        score = [0.0] * len(pred)
        for gi, pi in greedy_pairs([g.message for g in gold], [p.message for p in pred]):
            score[pi] = mean_role_f1(gold[gi], pred[pi])
        for st, s in zip(article.statements, score, strict=True):
            rows.append(features(article, st, signals))
            labels.append(int(s >= MATCH))
    return np.asarray(rows), np.asarray(labels)


def fit_confidence(data: Path, model_dir: Path, *, limit: int | None = None, accurate: Path | None = None,
                   tier: str | None = None, target: Path | None = None) -> dict[str, Any]:
    """Write ``confidence.json`` into ``model_dir`` (its CRFs predict the examples), or with ``accurate`` into
    that accurate-tier folder (its statement tagger predicts them, with the CRFs of ``model_dir``), or with
    ``tier="deep"`` into ``target`` (the installed deep reader predicts them)."""
    from sklearn.linear_model import LogisticRegression

    start = time.time()
    x, y = examples(data, model_dir, SPLIT, limit, accurate=accurate, tier=tier)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    out = {"features": list(FEATURES), "weights": [round(float(w), 6) for w in model.coef_[0]],
           "bias": round(float(model.intercept_[0]), 6), "trained_on": f"news-quotation-2024 {SPLIT}",
           "examples": len(y), "right": int(y.sum()), "match": f"mean role F1 >= {MATCH}",
           "seconds": round(time.time() - start)}
    folder = target or accurate or model_dir
    (folder / CONFIDENCE_FILE).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out
