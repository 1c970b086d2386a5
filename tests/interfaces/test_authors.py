"""Authors, publisher, host and modified date flow from a reader to the store, search, the API, the CLI, the
article page and the exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.batch import ingest
from newsgraph.interfaces.cli.main import main
from newsgraph.settings import load_settings
from newsgraph.store import Corpus, queries

RECORDS = [
    {"text": "Bundeskanzler Olaf Scholz sagte am Mittwoch in Berlin, die Lage sei ernst. Die Opposition widersprach.",
     "authors": ["Ingo Arzt", "Anna Schmidt"], "publisher": "taz", "url": "https://www.taz.de/a/1",
     "published": "2025-02-12", "modified": "2025-02-13T10:00:00+01:00"},
    {"text": "Die Außenministerin reiste am Donnerstag nach Kiew und traf dort den ukrainischen Präsidenten.",
     "authors": "Anna Schmidt", "source": "WELT", "url": "https://www.welt.de/b/2", "published": "2025-02-13"},
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    with Corpus(tmp_path / "c.db") as corpus:
        assert ingest([str(path)], corpus, settings=load_settings({"article_time_budget": 0})).added == 2
    return tmp_path / "c.db"


def test_store_round_trip_filter_and_facet(db: Path) -> None:
    with Corpus(db, readonly=True) as corpus:
        first = next(a for a in corpus.iter_articles() if a.source == "taz")
        assert first.authors == ("Ingo Arzt", "Anna Schmidt") and first.host == "taz.de"
        assert first.modified == "2025-02-13T10:00:00+01:00"
        by_anna = queries.list_articles(corpus, author="Anna Schmidt")
        assert by_anna["total"] == 2 and {tuple(a["authors"]) for a in by_anna["articles"]} == {
            ("Ingo Arzt", "Anna Schmidt"), ("Anna Schmidt",)}
        assert queries.list_articles(corpus, author="Ingo Arzt")["total"] == 1
        assert queries.list_articles(corpus, author="Niemand")["total"] == 0
        facet = {f["value"]: f["count"] for f in queries.facets(corpus)["author"]}
        assert facet == {"Anna Schmidt": 2, "Ingo Arzt": 1}


def test_api_cli_page_and_exports(db: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.interfaces.api import create_app

    client = TestClient(create_app(db))
    listed = client.get("/api/articles", params={"author": "Ingo Arzt"}).json()
    assert listed["total"] == 1 and listed["articles"][0]["authors"] == ["Ingo Arzt", "Anna Schmidt"]
    article_id = listed["articles"][0]["id"]
    assert client.get(f"/api/articles/{article_id}").json()["authors"] == ["Ingo Arzt", "Anna Schmidt"]
    assert "Ingo Arzt" in client.get(f"/articles/{article_id}").text
    assert "Anna Schmidt" in client.get("/search", params={"q": "Kiew"}).text  # the author facet
    runner = CliRunner()
    found = runner.invoke(main, ["search", "Lage", "--author", "Ingo Arzt", "--db", str(db)])
    assert found.exit_code == 0 and article_id in found.output
    none = runner.invoke(main, ["search", "Kiew", "--author", "Ingo Arzt", "--db", str(db)])
    assert article_id not in none.output
    table = runner.invoke(main, ["export", "--format", "csv", "--db", str(db)])
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert {r["authors"] for r in rows} == {"Ingo Arzt | Anna Schmidt", "Anna Schmidt"}
    assert {r["host"] for r in rows} == {"taz.de", "welt.de"}
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = tmp_path / "tables"
    assert runner.invoke(main, ["export", "--format", "parquet", "--out", str(out), "--db", str(db)]).exit_code == 0
    assert set(pq.read_table(out / "articles.parquet").column("authors").to_pylist()) == {
        "Ingo Arzt | Anna Schmidt", "Anna Schmidt"}
