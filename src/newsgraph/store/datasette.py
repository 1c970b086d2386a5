"""Datasette metadata for a newsgraph store: titles, descriptions of every table and column, facets, and the
internal tables hidden. ``newsgraph datasette-metadata --db X > metadata.json`` then
``datasette X --metadata metadata.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).with_name("datasette-metadata.json")


def datasette_metadata(db: str | Path) -> dict[str, Any]:
    """The metadata with its database entry named as Datasette names ``db`` (the file name without suffix)."""
    metadata: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    metadata["databases"] = {Path(db).stem: metadata["databases"].pop("newsgraph")}
    return metadata
