"""The statements stage, one variant per tier: the lite tier's CRFs, the accurate tier's torch adapters, the deep
reader's heads on the shared pass (``statements.py`` assembles all three)."""

from __future__ import annotations

from typing import Any

from newsgraph.model import Article
from newsgraph.models.accurate import require_accurate
from newsgraph.models.reader import require_reader
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.stages.statements import extract_statements
from newsgraph.settings import Settings

STATEMENT_NEEDS = ["tokens.pos", "tokens.lemma", "sentences", "mentions", "entities"]


@stage("statements", requires=STATEMENT_NEEDS, assigns=["statements"], languages=["de"], variant="lite")
def statements_lite(article: Article, settings: Settings) -> dict[str, Any]:
    """Find direct, indirect and reported speech with cue, speaker, message and addressee (CRFs)."""
    return {"statements": extract_statements(article, tier="lite")}


@stage("statements", requires=STATEMENT_NEEDS, assigns=["statements"], languages=["de"], variant="accurate",
       check=require_accurate)
def statements_accurate(article: Article, settings: Settings) -> dict[str, Any]:
    """Find direct, indirect and reported speech with cue, speaker, message and addressee (torch adapters)."""
    return {"statements": extract_statements(article, tier="accurate")}


@stage("statements", requires=[*STATEMENT_NEEDS, "encoding"], assigns=["statements"], languages=["de"],
       variant="deep", check=require_reader)
def statements_deep(article: Article, settings: Settings) -> dict[str, Any]:
    """Find direct, indirect and reported speech with cue, speaker, message and addressee (the shared pass)."""
    return {"statements": extract_statements(article, tier="deep")}
