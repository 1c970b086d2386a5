"""Event confidence: every event scored, doubtful sources left empty, never a source the rules did not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph import analyze
from newsgraph.evaluation.events import read_gold
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.plover.confidence import HAND_FEATURES, shipped_model
from newsgraph.settings import load_settings
from tests.conftest import rules_pipeline

GOLD = Path(__file__).resolve().parents[1] / "gold" / "events-de.jsonl"


def pipeline_with(threshold: float) -> Pipeline:
    return Pipeline(settings={**load_settings(), "event_source_confidence": threshold})


@pytest.fixture(scope="module")
def dev_texts() -> list[str]:
    return [s.text for s in read_gold(GOLD, ["dev"])]


def sources(article: Article) -> list[tuple[int, str | None]]:
    return [(e.trigger.start, e.source.text if e.source else None) for e in article.events]


def test_the_shipped_weights_fit_the_features() -> None:
    model = shipped_model()
    assert len(model.weights) == len(model.features) >= len(HAND_FEATURES)
    assert model.features[:len(HAND_FEATURES)] == HAND_FEATURES
    assert 0 < model.drop_below < 1


def test_every_event_has_a_confidence_between_0_and_1(seed_text: str) -> None:
    seed = analyze(seed_text, published="2025-02-13")
    assert seed.events
    assert all(e.confidence is not None and 0 <= e.confidence <= 1 for e in seed.events)


def test_the_default_only_empties_sources_never_changes_them(dev_texts: list[str]) -> None:
    default, rules = Pipeline(), rules_pipeline()
    emptied = 0
    for text in dev_texts:
        mine, theirs = sources(analyze(text, pipeline=default)), sources(analyze(text, pipeline=rules))
        assert [start for start, _ in mine] == [start for start, _ in theirs]  # the same events
        for (_, a), (_, b) in zip(mine, theirs, strict=True):
            assert a is None or a == b
            emptied += a is None and b is not None
    assert emptied > 0, "on dev the model doubts some sources the rules read"


def test_threshold_one_empties_every_source_and_zero_keeps_them(dev_texts: list[str]) -> None:
    strict, rules = pipeline_with(1.0), rules_pipeline()
    texts = dev_texts[:30]
    assert all(e.source is None for t in texts for e in analyze(t, pipeline=strict).events)
    assert any(e.source is not None for t in texts for e in analyze(t, pipeline=rules).events)


def test_a_victim_gets_no_source_in_the_default_reading() -> None:
    article = analyze("Die Frau wurde in der Nacht zum Sonntag von einem Unbekannten angegriffen.")
    assert all(e.source is None for e in article.events)


def test_the_shipped_weights_say_they_are_non_commercial() -> None:
    import json

    from newsgraph.models import model_path

    card = json.loads((model_path("events-de") / "card.json").read_text(encoding="utf-8"))
    assert card["non_commercial"] is True and "NC" in card["licence"]
