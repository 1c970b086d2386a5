"""The store opens in Datasette with newsgraph's metadata: descriptions, facets, internal tables hidden."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store.datasette import datasette_metadata
from newsgraph.store.tables import LAYERS


def _get(db: Path, path: str) -> Any:
    datasette_app = pytest.importorskip("datasette.app")
    ds = datasette_app.Datasette([str(db)], metadata=datasette_metadata(db))

    async def fetch() -> Any:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    return asyncio.run(fetch())


def test_metadata_describes_every_table_of_the_store(demo_db: Path) -> None:
    import sqlite3

    tables = datasette_metadata(demo_db)["databases"][demo_db.stem]["tables"]
    with sqlite3.connect(demo_db) as conn:
        stored = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert stored <= set(tables)
    assert all(tables[t].get("description") or tables[t].get("hidden") for t in stored)
    assert {t for t in stored if not tables[t].get("hidden")} >= set(LAYERS) - {"documents"}  # Parquet only


def test_datasette_serves_the_store_with_descriptions(demo_db: Path) -> None:
    name = demo_db.stem
    rows = _get(demo_db, f"/{name}/statements.json?_shape=array&kind=Direct")
    assert rows and all(r["kind"] == "Direct" for r in rows)
    events = _get(demo_db, f"/{name}/events.json?_shape=objects&_facet=type")
    assert events["rows"] and "type" in events["facet_results"]
    assert _get(demo_db, f"/{name}/articles.json?_search=Putin&_shape=array")  # full-text search over articles_fts
    info = _get(demo_db, "/-/metadata.json")
    assert "Who said what" in info["databases"][name]["tables"]["statements"]["description"]
