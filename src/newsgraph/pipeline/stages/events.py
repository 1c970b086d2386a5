"""PLOVER events: type, mode, trigger, source and target actors, place, date, modality and their statement."""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline.plover.extract import find_events
from newsgraph.pipeline.registry import stage
from newsgraph.settings import Settings


@stage("events", requires=["tokens.pos", "tokens.lemma", "mentions", "entities", "statements", "times"],
       assigns=["events"], languages=["de"])
def events_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Find political events (PLOVER) with their actors, and link each to the statement that reports it."""
    return {"events": find_events(article)}
