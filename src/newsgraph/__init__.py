"""newsgraph: German news to structured, attributed, searchable data.

>>> from newsgraph import analyze
>>> article = analyze("Der Kreml bestätigte das Gespräch.")
>>> len(article.sentences)
1
"""

from __future__ import annotations

from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline
from newsgraph.store import Corpus

__all__ = ["Article", "Corpus", "Failure", "Pipeline", "analyze"]
__version__ = "0.1.0"

_DEFAULT: Pipeline | None = None


def analyze(text: str | Article, *, pipeline: Pipeline | None = None, **fields: str | None) -> Article:
    """Analyse one text (or ``Article``) with the default pipeline; nothing is stored."""
    global _DEFAULT
    if pipeline is None:
        _DEFAULT = _DEFAULT or Pipeline()
        pipeline = _DEFAULT
    article = text if isinstance(text, Article) else Article.create(text, **fields)
    return pipeline(article)
