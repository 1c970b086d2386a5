"""The pipeline on real Spark (local sessions): the same Article JSON as ``analyze``, Parquet tables, failures,
duplicates, and ``newsgraph load`` giving the same store as ``newsgraph ingest``.

Skips without pyspark or Java, except under CI=true, where .ci/run installs both.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.batch import ingest
from newsgraph.ingest import read_inputs
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline, analyze_stream
from newsgraph.scale.load import load
from newsgraph.settings import load_settings
from newsgraph.store import Corpus
from newsgraph.store.export import export_parquet
from newsgraph.store.tables import LAYERS
from tests.conftest import require_module, warc_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "wikinews-de.jsonl"
SPARK_ARTICLES = 30


def _require_spark() -> None:
    require_module("pyspark", "pip install -e '.[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        why = "no Java runtime (apt-get install default-jre-headless)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


def _session(master: str) -> Any:
    _require_spark()
    from newsgraph.scale.spark import spark_session

    return spark_session(master, app_name="newsgraph-tests")


def _sample_as_warc(path: Path, n: int | None = None) -> Path:
    """The sample corpus as HTML pages in a WARC file (title, date and paragraphs)."""
    pages = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:n]:
        a = json.loads(line)
        body = "".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n") if p.strip())
        pages.append((a.get("url") or f"https://example.org/{len(pages)}",
                      f"<html><head><title>{html.escape(a.get('title') or '')}</title>"
                      f"<meta property=\"article:published_time\" content=\"{a.get('published') or ''}\"></head>"
                      f"<body><article><h1>{html.escape(a.get('title') or '')}</h1>{body}</article></body></html>"))
    path.write_bytes(warc_bytes(pages))
    return path


def test_local1_gives_the_same_article_json_as_analyze(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:4]) + "\n{broken\n",
                     encoding="utf-8")
    expected = [a.to_dict() for a in analyze_stream(read_inputs([str(small)]), Pipeline())
                if isinstance(a, Article)]
    from newsgraph.scale.spark import run

    spark = _session("local[1]")
    try:
        summary = run(spark, [str(small)], tmp_path / "out", partitions=1)
    finally:
        spark.stop()
    documents = [json.loads(r["json"]) for r in _parquet_rows(tmp_path / "out" / "documents")]
    assert documents == expected and len(documents) == 4
    assert summary.failures == 1
    failure = _parquet_rows(tmp_path / "out" / "failures")[0]
    assert failure["code"] == "NG009" and failure["input"].endswith("small.jsonl#L5")


def _parquet_rows(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return [row for p in sorted(folder.rglob("*.parquet")) for row in pq.read_table(p).to_pylist()]


@pytest.fixture(scope="module")
def spark2() -> Iterator[Any]:
    spark = _session("local[2]")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample corpus as JSONL and as WARC, a copy of the JSONL (duplicates), and a broken WARC."""
    folder = tmp_path_factory.mktemp("spark-inputs")
    jsonl = folder / "sample.jsonl"
    # 30 articles show the equivalence as well as all 120 do, at a quarter of the cost (both paths analyse them)
    jsonl.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:SPARK_ARTICLES]) + "\n{broken\n",
                     encoding="utf-8")
    copy = folder / "copy.jsonl"
    copy.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    warc = _sample_as_warc(folder / "sample.warc.gz", SPARK_ARTICLES)
    broken = folder / "broken.warc.gz"
    broken.write_bytes(warc.read_bytes()[:3000])
    return [str(jsonl), str(copy), str(warc), str(broken)]


def test_spark_tables_then_load_give_the_store_that_ingest_gives(spark2: Any, inputs: list[str],
                                                                 tmp_path: Path) -> None:
    from newsgraph.scale.spark import run

    summary = run(spark2, inputs, tmp_path / "out", partitions=4)
    with Corpus(tmp_path / "ingest.db") as corpus:
        ingested = ingest(inputs, corpus, settings=load_settings())
        export_parquet(corpus, tmp_path / "export")
        expected_rows = {layer: len(_parquet_rows_file(tmp_path / "export" / f"{layer}.parquet")) for layer in LAYERS}
    # a WARC page and its JSONL record are one article (the page's headline is its title, not part of its text)
    assert summary.articles == ingested.added >= SPARK_ARTICLES
    assert summary.duplicates == ingested.duplicates >= 3  # the copy, and pages of the truncated WARC
    assert summary.rows == expected_rows
    assert (tmp_path / "out" / "events").is_dir() and any((tmp_path / "out" / "events").glob("month=*"))
    with Corpus(tmp_path / "spark.db") as corpus:
        first = load(tmp_path / "out", corpus)
        again = load(tmp_path / "out", corpus)  # idempotent: content ids
    assert first.added == ingested.added and again.added == 0 and again.duplicates == ingested.added
    assert _store(tmp_path / "spark.db") == _store(tmp_path / "ingest.db")


def _parquet_rows_file(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def _store(db: Path) -> dict[str, Any]:
    """What a store holds, without the times it was written."""
    with Corpus(db, readonly=True) as corpus:
        articles = {a.id: a.to_dict() for a in corpus.iter_articles()}
    with sqlite3.connect(db) as conn:
        failures = sorted(conn.execute("SELECT input, code, reason, hint, stage, count FROM failures").fetchall())
        entities = sorted(conn.execute("SELECT article_id, idx, key FROM entities").fetchall())
    return {"articles": articles, "failures": failures, "entities": entities}


def test_no_analysis_logic_in_spark_code() -> None:
    """One pipeline: the Spark modules import the readers, the pipeline and the tables; they define no stage
    and no reader of their own."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "newsgraph" / "scale").glob("*.py"))
    assert "from newsgraph.pipeline import Pipeline, analyze_stream" in source
    assert "from newsgraph.ingest.sources import read_file" in source
    for forbidden in ("@stage", "register(", "import spacy", "pycrfsuite", "trafilatura"):
        assert forbidden not in source, forbidden
