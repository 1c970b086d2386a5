"""Layer tables: CSV and Parquet exports with one schema, read back by pandas and DuckDB."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from newsgraph.errors import MissingExtra
from newsgraph.store import Corpus
from newsgraph.store.export import export_parquet, export_table_csv
from newsgraph.store.tables import LAYERS, TABLES, table_rows


def _expected_counts(corpus: Corpus) -> dict[str, int]:
    articles = list(corpus.iter_articles())
    counts = {layer: sum(len(getattr(a, layer)) for a in articles)
              for layer in ("mentions", "entities", "statements", "events", "times")}
    return {"articles": len(articles), **counts, "failures": corpus.failure_count(), "documents": len(articles)}


def test_rows_follow_their_schema(demo_db: Path) -> None:
    with Corpus(demo_db, readonly=True) as corpus:
        expected = _expected_counts(corpus)
        assert expected["failures"] == 1 and expected["events"] > 0 and expected["times"] > 0
        for layer in LAYERS:
            rows = list(table_rows(corpus, layer))
            assert len(rows) == expected[layer], layer
            names = [name for name, _ in TABLES[layer]]
            for row in rows:
                assert list(row) == names, layer
                for name, kind in TABLES[layer]:
                    value = row[name]
                    expected_type = {"int64": int, "double": float, "string": str}[kind]
                    assert value is None or isinstance(value, expected_type), (layer, name, value)


def test_rows_point_back_into_the_text(demo_db: Path) -> None:
    with Corpus(demo_db, readonly=True) as corpus:
        texts = {a.id: a.text for a in corpus.iter_articles()}
        for row in table_rows(corpus, "mentions"):
            assert texts[row["article_id"]][row["start"]:row["end"]] == row["text"]
        for row in table_rows(corpus, "events"):
            assert texts[row["article_id"]][row["trigger_start"]:row["trigger_end"]] == row["trigger"]


def test_parquet_read_back_by_pandas_and_duckdb(demo_db: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    with Corpus(demo_db, readonly=True) as corpus:
        expected = _expected_counts(corpus)
        counts = export_parquet(corpus, tmp_path)
    assert counts == expected
    for layer in LAYERS:
        path = tmp_path / f"{layer}.parquet"
        frame = pd.read_parquet(path)
        assert len(frame) == expected[layer]
        assert list(frame.columns) == [name for name, _ in TABLES[layer]]
        assert duckdb.sql(f"SELECT COUNT(*) FROM '{path}'").fetchall()[0][0] == expected[layer]
    # the tables join: every statement's speaker entity is in the entities table of its article
    joined = duckdb.sql(f"SELECT COUNT(*) FROM '{tmp_path}/statements.parquet' s JOIN '{tmp_path}/entities.parquet' e"
                        " ON e.article_id = s.article_id AND e.entity_id = s.speaker_entity_id").fetchall()[0][0]
    assert joined >= 1


def test_csv_layer_has_the_parquet_columns(demo_db: Path) -> None:
    pd = pytest.importorskip("pandas")
    with Corpus(demo_db, readonly=True) as corpus:
        expected = _expected_counts(corpus)
        for layer in LAYERS:
            out = io.StringIO()
            assert export_table_csv(corpus, layer, out) == expected[layer]
            header = next(csv.reader(io.StringIO(out.getvalue())))
            assert header == [name for name, _ in TABLES[layer]]
            assert len(pd.read_csv(io.StringIO(out.getvalue()))) == expected[layer]


def test_parquet_without_pyarrow_is_a_coded_error(demo_db: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    with Corpus(demo_db, readonly=True) as corpus, pytest.raises(MissingExtra) as err:
        export_parquet(corpus, tmp_path)
    assert err.value.code == "NG309" and "newsgraph[tables]" in err.value.hint


def test_documents_carry_the_whole_article_in_store_order(demo_db: Path) -> None:
    import json

    from newsgraph.model import Article

    with Corpus(demo_db, readonly=True) as corpus:
        stored = list(corpus.iter_articles())
        docs = list(table_rows(corpus, "documents"))
    assert [d["order"] for d in docs] == list(range(len(stored)))
    assert [Article.from_dict(json.loads(d["json"])) for d in docs] == stored


def test_a_killed_parquet_export_leaves_the_earlier_export_whole(demo_db: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    import newsgraph.store.export as export_module
    from newsgraph.store.manifest import check_manifest

    out = tmp_path / "tables"
    with Corpus(demo_db, readonly=True) as corpus:
        export_parquet(corpus, out)
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        real = export_module._write_tables

        def killed(corpus: Corpus, folder: Path, layers: object, progress: object) -> dict[str, int]:
            real(corpus, folder, ["articles"], progress)  # one new table written, then the process dies
            raise KeyboardInterrupt

        monkeypatch.setattr(export_module, "_write_tables", killed)
        with pytest.raises(KeyboardInterrupt):
            export_parquet(corpus, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # old tables, none of the new
    check_manifest(out)


def test_load_refuses_tables_without_their_manifest_or_changed_since(demo_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from newsgraph.errors import IncompleteTables, UsageError
    from newsgraph.scale.load import load

    out = tmp_path / "tables"
    with Corpus(demo_db, readonly=True) as corpus:
        export_parquet(corpus, out)
    (out / "events.parquet").write_bytes((out / "events.parquet").read_bytes()[:-10])  # a torn file
    with Corpus(tmp_path / "copy.db") as target:
        with pytest.raises(IncompleteTables, match="differs from its manifest"):
            load(out, target)
        (out / "manifest.json").unlink()
        with pytest.raises(IncompleteTables, match=r"no manifest\.json"):
            load(out, target)
        assert target.count() == 0
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with Corpus(demo_db, readonly=True) as corpus, pytest.raises(UsageError, match="not empty"):
        export_parquet(corpus, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
