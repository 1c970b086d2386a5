"""PLOVER events: type, mode, trigger, source and target actors, place, date, modality and their statement."""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline.plover.confidence import with_confidence
from newsgraph.pipeline.plover.extract import find_events
from newsgraph.pipeline.registry import stage
from newsgraph.settings import Settings


@stage("events", requires=["tokens.pos", "tokens.lemma", "mentions", "entities", "statements", "times"],
       assigns=["events"], languages=["de"])
def events_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Find political events (PLOVER) with their actors, link each to the statement that reports it, and score
    how sure the reading is (a doubtful source is left empty)."""
    threshold = float(settings.get("event_source_confidence", -1.0))
    return {"events": with_confidence(article, find_events(article), None if threshold < 0 else threshold)}
