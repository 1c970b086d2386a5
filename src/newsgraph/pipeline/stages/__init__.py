"""Built-in stages; importing this package registers them."""

from newsgraph.pipeline.stages import entities, language, mentions, morphology, statements, times, tokens

__all__ = ["entities", "language", "mentions", "morphology", "statements", "times", "tokens"]
