"""Time expressions (TIMEX3) found by German rules and resolved against the publication date."""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article, published_date
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.temporal.extract import find_times
from newsgraph.settings import Settings


@stage("times", requires=["tokens", "sentences"], assigns=["times"], languages=["de"])
def times_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Find dates, times, durations and sets, with values resolved against the publication date."""
    return {"times": find_times(article.text, published_date(article.published), article.sentences,
                                article.tokens)}
