"""Query parameter types shared by the REST API and the web pages, so both validate alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from newsgraph.model import EVENT_TYPES, MODALITIES
from newsgraph.store import queries

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="page size (1-100)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Text = Annotated[str | None, Query(max_length=500)]
Confidence = Annotated[float | None, Query(ge=0, le=1, description="minimum statement confidence (0-1)")]
StoryId = Annotated[int | None, Query(ge=1, le=2**53, description="story id (/api/stories)")]
Date = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")]

STATEMENT_KINDS = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
MEDIA = ("Speech", "Writing", "SW", "ST")
KIND_PATTERN = "^(" + "|".join(STATEMENT_KINDS) + ")$"
MEDIUM_PATTERN = "^(" + "|".join(MEDIA) + ")$"
EVENT_TYPE_PATTERN = "^(" + "|".join(EVENT_TYPES) + ")$"
MODALITY_PATTERN = "^(" + "|".join(MODALITIES) + ")$"
NETWORK_KIND_PATTERN = "^(quotes|events)$"


def blank_or(pattern: str) -> str:
    """``pattern`` (anchored with ^…$) or the empty string: an HTML form submits its empty fields as ``x=``."""
    return "^(?:" + pattern[1:-1] + ")?$"


# The web pages' filter forms: the same checks, with empty fields allowed (they mean "any")
FormDate = Annotated[str | None, Query(pattern=blank_or(r"^\d{4}(-\d{2}(-\d{2})?)?$"))]
FormConfidence = Annotated[str | None, Query(pattern=blank_or(r"^(0(\.\d+)?|1(\.0+)?)$"))]
FormKind = Annotated[str | None, Query(pattern=blank_or(KIND_PATTERN))]
FormMedium = Annotated[str | None, Query(pattern=blank_or(MEDIUM_PATTERN))]
