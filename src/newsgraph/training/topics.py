"""``newsgraph train topics``: TF-IDF and logistic regression over the IPTC top level (scikit-learn), exported
as plain arrays that the ``topics`` stage reads with numpy alone."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.evaluation.topics import TopicDoc, datasets
from newsgraph.training.cards import folder_size_mb, write_card

TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # the stage's tokenisation: keep the two in step
MAX_FEATURES = 40_000
C = 10.0


def fit(docs: Sequence[TopicDoc]) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=2,
                                 sublinear_tf=True, max_features=MAX_FEATURES)
    x = vectorizer.fit_transform([d.text for d in docs])
    classifier = LogisticRegression(C=C, max_iter=3000)
    classifier.fit(x, [d.topic for d in docs])
    return vectorizer, classifier


def accuracy(model: tuple[Any, Any], docs: Sequence[TopicDoc]) -> float:
    vectorizer, classifier = model
    predicted = classifier.predict(vectorizer.transform([d.text for d in docs]))
    return float(np.mean([p == d.topic for p, d in zip(predicted, docs, strict=True)]))


def cross_validate(docs: Sequence[TopicDoc], folds: int = 5, seed: int = 0) -> float:
    """Mean accuracy over ``folds`` folds (shuffled with a fixed seed)."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    scores = []
    for k in range(folds):
        test = [docs[i] for i in order[k::folds]]
        train = [docs[i] for j, i in enumerate(order) if j % folds != k]
        scores.append(accuracy(fit(train), test))
    return float(np.mean(scores))


def export(model: tuple[Any, Any], folder: Path) -> None:
    """``model.npz`` (idf, coefficients, intercepts) and ``vocabulary.json`` (term -> column, classes)."""
    vectorizer, classifier = model
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "model.npz", idf=vectorizer.idf_.astype(np.float32),
                        coef=classifier.coef_.astype(np.float16), intercept=classifier.intercept_.astype(np.float32))
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    (folder / "vocabulary.json").write_text(json.dumps({"classes": list(classifier.classes_), "ngrams": [1, 2],
                                                        "token_pattern": TOKEN_PATTERN, "vocabulary": vocabulary},
                                                       ensure_ascii=False), encoding="utf-8")


def train_topics_model(out: Path, *, install: bool = False) -> dict[str, Any]:
    """Train on 10kGNAD (test split) and XGLUE (German dev) together; the card carries the cross-validated
    and cross-dataset accuracies of ``bench/topics.py``'s method."""
    from newsgraph.training.commands import _install

    start = time.time()
    data = datasets(shared_data_dir())
    docs = [d for part in data.values() for d in part]
    model_dir = out / "topics-de"
    export(fit(docs), model_dir)
    card = {
        "name": "newsgraph topics-de",
        "description": "IPTC Media Topics (top level) of an article: TF-IDF over word 1- and 2-grams, logistic "
                       "regression; read with numpy by pipeline/stages/topics.py.",
        "licence": "CC BY-NC-SA 4.0 (10kGNAD) and XGLUE's non-commercial research terms",
        "non_commercial": True,
        "training_data": f"10kGNAD test split ({len(data['10kGNAD'])} articles) and XGLUE NC German dev "
                         f"({len(data['XGLUE'])} articles), mapped to IPTC (evaluation/topics.py)",
        "reproduce": "newsgraph train topics --out DIR --install",
        "classes": sorted({d.topic for d in docs}),
        "training_seconds": round(time.time() - start, 1),
    }
    card["size_mb"] = folder_size_mb(model_dir)
    write_card(model_dir, card)
    if install:
        _install(model_dir)
    return card
