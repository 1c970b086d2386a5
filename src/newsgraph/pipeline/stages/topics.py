"""Stage ``topics``: the article's IPTC Media Topic (top level) with the classifier's probability.

The shipped model (``models/topics-de``, trained on non-commercial data, see its card) is TF-IDF over word
1- and 2-grams with logistic regression, read as plain arrays: no scikit-learn at run time.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from newsgraph.model import Article
from newsgraph.models import model_path
from newsgraph.pipeline.registry import stage
from newsgraph.settings import Settings


@dataclass(frozen=True)
class TopicModel:
    classes: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # float32 (stored as float16 on disk)
    intercept: np.ndarray
    token: re.Pattern[str]

    def probabilities(self, text: str) -> np.ndarray:
        words = self.token.findall(text.lower())
        counts = Counter(words) + Counter(f"{a} {b}" for a, b in itertools.pairwise(words))
        columns = [(self.vocabulary[t], n) for t, n in counts.items() if t in self.vocabulary]
        x = np.zeros(len(self.idf), np.float32)
        for column, n in columns:
            x[column] = (1.0 + math.log(n)) * self.idf[column]  # sublinear tf times idf, as in training
        norm = float(np.linalg.norm(x))
        scores = self.coef @ (x / norm if norm else x) + self.intercept
        scores = np.exp(scores - scores.max())
        return np.asarray(scores / scores.sum())


@cache
def load_model() -> TopicModel:
    folder = model_path("topics-de")
    meta = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    arrays = np.load(folder / "model.npz")
    return TopicModel(meta["classes"], meta["vocabulary"], arrays["idf"], arrays["coef"].astype(np.float32),
                      arrays["intercept"],
                      re.compile(meta["token_pattern"]))


def classify(text: str) -> tuple[str, float]:
    """The most probable topic and its probability."""
    model = load_model()
    p = model.probabilities(text)
    best = int(np.argmax(p))
    return model.classes[best], round(float(p[best]), 3)


@stage("topics", requires=["text"], assigns=["meta"], languages=["de"])
def topics_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """``meta["topic"]`` (IPTC top level) and ``meta["topic_score"]``, from the title and the text."""
    topic, score = classify(f"{article.title or ''}\n{article.text}")
    return {"meta": {**article.meta, "topic": topic, "topic_score": score}}
