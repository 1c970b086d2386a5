"""Built-in stages; importing this package registers them."""

from newsgraph.pipeline.stages import dateline, entities, language, mentions, morphology, statements, times, tokens

__all__ = ["dateline", "entities", "language", "mentions", "morphology", "statements", "times", "tokens"]
