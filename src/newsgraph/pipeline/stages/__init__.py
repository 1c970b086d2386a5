"""Built-in stages; importing this package registers them."""

from newsgraph.pipeline.stages import (
    dateline,
    entities,
    events,
    language,
    mentions,
    morphology,
    reading,
    statements,
    statements_variants,
    times,
    tokens,
    topics,
)

__all__ = ["dateline", "entities", "events", "language", "mentions", "morphology", "reading", "statements",
           "statements_variants", "times", "tokens", "topics"]
