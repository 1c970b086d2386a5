from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph import analyze
from newsgraph.errors import BadQuery, NotFound
from newsgraph.model import Article, Failure
from newsgraph.store import Corpus
from newsgraph.store.schema import MIGRATIONS


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    return Corpus(tmp_path / "c.db")


def test_migrations_recorded_and_wal(corpus: Corpus) -> None:
    rows = corpus.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    assert corpus.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopen_does_not_migrate_twice(tmp_path: Path) -> None:
    Corpus(tmp_path / "c.db").close()
    with Corpus(tmp_path / "c.db") as again:
        assert again.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_add_is_idempotent_and_round_trips_layers(corpus: Corpus, seed_article: Article) -> None:
    first = corpus.add([seed_article])
    second = corpus.add([seed_article])
    assert (first.added, first.duplicates, second.added, second.duplicates) == (1, 0, 0, 1)
    assert corpus.count() == 1
    assert corpus.get(seed_article.id) == seed_article


def test_batch_is_atomic(corpus: Corpus) -> None:
    good = Article.create("Ein guter Artikel über Trump.")
    bad = Article.create("Kaputt")
    bad = Article(text=bad.text, id=bad.id, meta={"x": object()})  # not JSON-serialisable
    with pytest.raises(TypeError):
        corpus.add([good, bad])
    assert corpus.count() == 0


def test_search_highlights_and_ranks(corpus: Corpus, seed_article: Article) -> None:
    corpus.add([seed_article, analyze("Ein Artikel über das Wetter in Hamburg.", title="Wetter")])
    hits = corpus.search("Putin")
    assert [h.id for h in hits] == [seed_article.id]
    assert "[Putin]" in hits[0].snippet
    assert [h.title for h in corpus.search("Wetter")] == ["Wetter"]
    assert corpus.search("Zebrastreifen") == []


@pytest.mark.parametrize("query", ['"unclosed', "Putin AND", "NOT", "  ", "foo:bar"])
def test_malformed_query_is_a_coded_error(corpus: Corpus, query: str) -> None:
    with pytest.raises(BadQuery) as info:
        corpus.search(query)
    assert info.value.code == "NG202" and info.value.hint


def test_fts_stays_in_sync_on_delete(corpus: Corpus, seed_article: Article) -> None:
    corpus.add([seed_article])
    with corpus.conn:
        corpus.conn.execute("DELETE FROM articles WHERE id = ?", (seed_article.id,))
    assert corpus.search("Putin") == []
    assert corpus.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == 0


def test_failures_recorded(corpus: Corpus) -> None:
    corpus.record_failures([Failure("a.txt", "NG002", "input is empty", "remove it")])
    [row] = corpus.failures()
    assert row["code"] == "NG002" and row["input"] == "a.txt" and row["hint"] == "remove it"


def test_get_missing_and_readonly(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(NotFound):
        corpus.get("0000000000000000")
    with pytest.raises(NotFound):
        Corpus(tmp_path / "absent.db", readonly=True)
    ro = Corpus(tmp_path / "c.db", readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.conn.execute("INSERT INTO failures(input, code, reason, hint, stage, recorded_at) "
                        "VALUES ('a','b','c','d','e','f')")


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_store_round_trip_any_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    if not text.strip():
        return
    article = Article.create(text, title=text[:10])
    with Corpus(tmp_path_factory.mktemp("h") / "c.db") as corpus:
        corpus.add([article])
        assert corpus.get(article.id) == article


def test_overlong_search_query_is_refused_before_sqlite_parses_it(tmp_path: Path) -> None:
    with Corpus(tmp_path / "c.db") as corpus:
        with pytest.raises(BadQuery, match="limit is 500"):
            corpus.search("Putin " * 20_000)
        assert corpus.search("Putin") == []


def test_surname_only_person_joins_the_stored_full_name_through_the_index(tmp_path: Path) -> None:
    from newsgraph.model import Entity

    full = Article.create("Wladimir Putin sprach.").with_layers(
        entities=[Entity("PER:wladimir-putin", "Wladimir Putin", "PER")])
    short = Article.create("Putin schwieg.").with_layers(entities=[Entity("PER:putin", "Putin", "PER")])
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.add([full])
        corpus.add([short])
        assert corpus.get(short.id).entities[0].id == "PER:wladimir-putin"
        plan = " ".join(str(r[3]) for r in corpus.conn.execute(
            "EXPLAIN QUERY PLAN SELECT DISTINCT key FROM entities WHERE surname = ?", ("putin",)))
        assert "entities_surname" in plan


def test_same_failure_is_counted_not_repeated_and_can_be_cleared(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.model import Failure
    from newsgraph.store import Corpus

    broken = Failure("bad.jsonl#L2", "NG009", "line 2 is not valid JSON", "fix the line")
    with Corpus(tmp_path / "c.db") as corpus:
        for _ in range(3):
            corpus.record_failures([broken])
        corpus.record_failures([Failure("other.txt", "NG002", "empty", "add text")])
        rows = corpus.failures()
        assert corpus.failure_count() == 2
        assert [(r["input"], r["count"]) for r in rows if r["code"] == "NG009"] == [("bad.jsonl#L2", 3)]
        assert corpus.clear_failures() == 2
        assert corpus.failures() == [] and corpus.failure_count() == 0


def test_migration_merges_existing_duplicate_failures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from newsgraph.store import Corpus
    from newsgraph.store.schema import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    for number, (name, sql) in enumerate(MIGRATIONS[:5], start=1):  # the schema before failure counting
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2025-01-01')", (number, name))
    for when in ("2025-01-01T00:00:00", "2025-01-02T00:00:00", "2025-01-03T00:00:00"):
        conn.execute("INSERT INTO failures(input, code, reason, hint, stage, recorded_at) VALUES "
                     "('bad.txt', 'NG002', 'empty', 'add text', 'ingest', ?)", (when,))
    conn.commit()
    conn.close()
    with Corpus(db) as corpus:
        rows = corpus.failures()
    assert len(rows) == 1 and rows[0]["count"] == 3 and rows[0]["last_seen"] == "2025-01-03T00:00:00"


def test_one_articles_broken_linking_does_not_lose_it_or_its_batch(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgraph.store.corpus as corpus_module

    good = analyze("Bundeskanzler Olaf Scholz reiste am Mittwoch nach Paris.", published="2025-02-13")
    bad = analyze("Außenministerin Annalena Baerbock sprach in Kiew mit Selenskyj.", published="2025-02-13")
    real = corpus_module.index_article

    def breaks_on_bad(conn: sqlite3.Connection, article: Article) -> int:
        if article.id == bad.id:
            raise KeyError("affiliation points at nothing")
        return real(conn, article)

    monkeypatch.setattr(corpus_module, "index_article", breaks_on_bad)
    result = corpus.add([good, bad])
    assert result.added == 2 and corpus.count() == 2
    assert [f.code for f in result.failures] == ["NG207"]
    assert "KeyError" in result.failures[0].reason
    stored = corpus.get(bad.id)
    assert stored.text == bad.text and len(stored.entities) == len(bad.entities)
    assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_failed_stage_is_recorded_and_the_article_stored(corpus: Corpus) -> None:
    article = Article.create("Olaf Scholz sagte, die Lage sei ernst.", meta={"input": "news.jsonl#L3"})
    article = Article(text=article.text, id=article.id, meta={**article.meta, "failed_stages": [
        {"stage": "entities", "code": "NG103", "reason": "stage 'entities' failed: KeyError: 'Englisch'"}]})
    result = corpus.add([article])
    assert result.added == 1
    [failure] = result.failures
    assert (failure.code, failure.input, failure.stage) == ("NG103", "news.jsonl#L3", "entities")
    assert "stored with its other layers" in failure.reason
