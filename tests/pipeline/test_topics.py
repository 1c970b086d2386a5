"""Stage topics: IPTC Media Topics (top level) from the shipped model; its accuracy floor retrains it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsgraph import analyze
from newsgraph.models import model_path
from newsgraph.pipeline.stages.topics import classify, load_model
from tests.conftest import require_module

# Floors on 5-fold cross-validation (bench/topics.py has the current figures). Never lower them.
CV_FLOORS = {"10kGNAD": 0.70, "XGLUE": 0.80}


def _sklearn() -> None:
    require_module("sklearn", "pip install -e '.[dev]'")


def test_the_shipped_model_says_it_is_non_commercial() -> None:
    card = json.loads((model_path("topics-de") / "card.json").read_text(encoding="utf-8"))
    assert card["non_commercial"] is True and "NC" in card["licence"]
    assert set(load_model().classes) == set(card["classes"]) and "politics" in card["classes"]


@pytest.mark.parametrize(("text", "topic"), [
    ("Der FC Bayern gewann am Samstag gegen Borussia Dortmund mit 3:1, Müller traf in der Bundesliga zweimal.",
     "sport"),
    ("Die Aktien der Deutschen Bank fielen, der DAX schloss im Minus; die Inflation steigt weiter.",
     "economy, business and finance"),
])
def test_clear_texts(text: str, topic: str) -> None:
    assert classify(text)[0] == topic


def test_the_stage_sets_the_topic(seed_article) -> None:  # type: ignore[no-untyped-def]
    assert seed_article.meta["topic"] == "politics" and 0 < seed_article.meta["topic_score"] <= 1
    assert "topic" not in analyze("Hello world, this is English.").meta  # German only


def test_cross_validated_accuracy_floors_and_the_same_answers_as_scikit_learn(shared_data: Path) -> None:
    _sklearn()
    from newsgraph.evaluation.topics import datasets
    from newsgraph.training.topics import cross_validate, fit

    data = datasets(shared_data)
    for name, floor in CV_FLOORS.items():
        assert cross_validate(data[name]) >= floor, name
    docs = [d for part in data.values() for d in part]
    vectorizer, classifier = fit(docs)  # what `newsgraph train topics` ships
    model = load_model()
    for doc in docs[::40]:
        ours = model.classes[int(np.argmax(model.probabilities(doc.text)))]
        assert ours == classifier.predict(vectorizer.transform([doc.text]))[0]
