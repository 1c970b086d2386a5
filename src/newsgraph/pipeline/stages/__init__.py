"""Built-in stages; importing this package registers them."""

from newsgraph.pipeline.stages import language, morphology, tokens

__all__ = ["language", "morphology", "tokens"]
