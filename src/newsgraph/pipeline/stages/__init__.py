"""Built-in stages; importing this package registers them."""

from newsgraph.pipeline.stages import coref, entities, language, morphology, statements, tokens

__all__ = ["coref", "entities", "language", "morphology", "statements", "tokens"]
