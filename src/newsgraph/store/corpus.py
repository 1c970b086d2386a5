"""The corpus store: SQLite in WAL mode, one writer, parameterised SQL only.

Adding is idempotent (the content hash is the primary key) and each batch is one transaction, so a crash
never leaves half an article.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import newsgraph.store.entities as entity_keys
import newsgraph.store.stories as story_clusters
from newsgraph.errors import (
    BadQuery,
    LinkingFailed,
    NotFound,
    QueryTimeout,
    StageFailed,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
)
from newsgraph.model import LAYER_TYPES, Article, Failure, _record_to_dict
from newsgraph.store.copies import credits, index_article, pairs, reuse
from newsgraph.store.entities import backfill, index_names, resolve_article
from newsgraph.store.files import check_header, readonly_uri, translate, writable
from newsgraph.store.schema import migrate


@dataclass
class AddResult:
    added: int = 0
    duplicates: int = 0
    ids: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)  # articles stored without corpus links (NG207)


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    published: str | None
    source: str | None
    snippet: str
    rank: float


@dataclass(frozen=True)
class Query:
    """SQL and parameters of a query, so that interfaces can show it (``--sql``)."""

    sql: str
    params: tuple[Any, ...]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


MAX_QUERY_CHARS = 500  # the API's limit too


def first_words(text: str | None, n: int) -> str | None:
    """The text's first ``n`` characters on one line, cut after a whole word with "…" when longer (the label of
    an untitled article in lists; SQL function ``first_words``)."""
    if text is None:
        return None
    line = " ".join(text[: n + 40].split())
    if len(line) <= n:
        return line
    cut = line[:n].rsplit(" ", 1)[0] if " " in line[:n] else line[:n]
    return cut.rstrip(",;:–-") + " …"


class Corpus:
    """A newsgraph corpus in one SQLite file."""

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 10.0,
                 time_limit: float = 5.0, story_vectors: str = "reader") -> None:
        self.path = Path(path)
        self.story_vectors = story_vectors  # the vector kind of the first stories (the setting); then the corpus's
        self.readonly = readonly
        self.time_limit = time_limit
        check_header(self.path)
        try:
            if readonly:
                self.conn = self._connect_readonly(timeout)
            else:
                if not writable(self.path):
                    raise StoreReadOnly(f"cannot write to {self.path}: the file or its folder is read-only",
                                        where=str(self.path))
                self.conn = sqlite3.connect(self.path, timeout=timeout)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                migrate(self.conn)
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.create_function("first_words", 2, first_words, deterministic=True)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        self.conn.row_factory = sqlite3.Row

    def _connect_readonly(self, timeout: float) -> sqlite3.Connection:
        if not self.path.exists():
            raise NotFound(f"no corpus at {self.path}", hint="ingest something first: newsgraph ingest PATH")
        if self.path.stat().st_size == 0:
            raise StoreDamaged(f"{self.path} is empty (0 bytes): not a newsgraph corpus", where=str(self.path),
                               hint="ingest into it to start a corpus there, or restore it from a backup")
        conn = sqlite3.connect(readonly_uri(self.path), uri=True, timeout=timeout, check_same_thread=False)
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone() is None:
            conn.close()
            raise StoreDamaged(f"{self.path} is an SQLite database but not a newsgraph corpus (no schema_migrations)",
                               where=str(self.path), hint="point --db at a newsgraph corpus, or ingest into a new file")
        return conn

    def _translate(self, exc: sqlite3.Error) -> StoreError:
        return translate(exc, self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add(self, articles: Iterable[Article], *, replace: bool = False) -> AddResult:
        """Add a batch in one transaction; articles already stored are counted as duplicates, or with
        ``replace`` removed with all their layers and stored anew (re-analysis). An article whose corpus
        linking fails is stored without links and an NG207 failure recorded in ``failures``: one article never
        fails the batch."""
        result = AddResult()
        added: list[Article] = []
        try:
            with self.conn:
                if not self.conn.in_transaction:
                    self.conn.execute("BEGIN")  # the savepoints below nest inside the batch's one transaction
                for article in articles:
                    self._add_one(article, replace, result, added)
                for article, exc in story_clusters.assign(self.conn, added, self.story_vectors):
                    result.failures.append(self._link_failure(article, "stories", exc))
        except sqlite3.DatabaseError as exc:
            raise self._translate(exc) from exc
        return result

    def _add_one(self, article: Article, replace: bool, result: AddResult, added: list[Article]) -> None:
        if replace:
            self.conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO articles(id, title, url, published, source, language, text, meta,"
            " added_at, modified, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.title, article.url, article.published, article.source,
             article.language, article.text, json.dumps(article.meta, ensure_ascii=False), _now(),
             article.modified, article.host),
        )
        if cur.rowcount == 0:
            result.duplicates += 1
            return
        self.conn.executemany("INSERT INTO article_authors(article_id, position, name) VALUES (?, ?, ?)",
                              [(article.id, i, name) for i, name in enumerate(article.authors)])
        result.added += 1
        result.ids.append(article.id)
        broken = [f for f in article.meta.get("failed_stages") or () if isinstance(f, dict)]
        if broken:  # stored with the layers that succeeded; the broken stages are the article's failure
            where = article.input_name
            reason = "; ".join(str(f.get("reason")) for f in broken)
            result.failures.append(StageFailed(f"{reason} (article {article.id} was stored with its other layers)",
                                               where=where).to_failure(input=where, stage=str(broken[0].get("stage"))))
        self.conn.execute("SAVEPOINT linking")
        try:
            resolved = self._insert_layers(article)
            index_article(self.conn, article)
            story_clusters.count_terms(self.conn, article)
            story_clusters.link_versions(self.conn, article, reuse(self.conn, article.id, len(article.text)))
        except sqlite3.DatabaseError:
            raise  # locked, read-only, full or damaged: the whole batch, translated by add()
        except Exception as exc:  # one article's linking must not lose it or its batch: stored without links
            self.conn.execute("ROLLBACK TO linking")
            self._insert_layers(article, link=False)
            result.failures.append(self._link_failure(article, "entities, copies or versions", exc))
        else:
            added.append(resolved)
        finally:
            self.conn.execute("RELEASE linking")

    def _link_failure(self, article: Article, what: str, exc: Exception) -> Failure:
        where = article.input_name
        return LinkingFailed(f"corpus linking ({what}) failed for article {article.id}: {type(exc).__name__}: {exc}",
                             where=where).to_failure(input=where, stage="link")

    # --- corpus entities (store/entities.py) -----------------------------------------------------------------

    def merge_entities(self, key: str, into: str) -> int:
        return entity_keys.merge(self.conn, key, into)

    def split_entity(self, key: str, *, apart_from: str | None = None, article_id: str | None = None) -> int:
        return entity_keys.split(self.conn, key, apart_from=apart_from, article_id=article_id)

    def entity_curation(self) -> list[entity_keys.Curation]:
        return entity_keys.curation(self.conn)

    def undo_curation(self, curation_id: int) -> int:
        return entity_keys.undo(self.conn, curation_id)

    def entity_count(self) -> int:
        """Corpus entities: distinct keys after merging."""
        return int(self.conn.execute("SELECT COUNT(DISTINCT key) FROM entities").fetchone()[0])

    def rebuild_entities(self) -> int:
        return entity_keys.rebuild(self.conn)

    def _insert_layers(self, article: Article, *, link: bool = True) -> Article:
        """Store the layers; return the article with its entities' corpus keys (``link=False``: the article's
        own keys, nothing resolved against the corpus)."""
        local_keys = [e.id for e in article.entities]
        resolved = resolve_article(self.conn, article) if link else article
        self.conn.executemany("INSERT INTO entities(article_id, idx, data, local_key) VALUES (?, ?, ?, ?)",
                              [(article.id, i, json.dumps(_record_to_dict(e), ensure_ascii=False), local)
                               for i, (e, local) in enumerate(zip(resolved.entities, local_keys, strict=True))])
        if link:
            index_names(self.conn, article.id, article.entities)
            backfill(self.conn, article.id, article.entities)
        for name in LAYER_TYPES:
            if name in ("times", "entities"):
                continue
            rows = [(article.id, i, json.dumps(_record_to_dict(item), ensure_ascii=False))
                    for i, item in enumerate(getattr(article, name))]
            if rows:
                self.conn.executemany(f"INSERT INTO {name}(article_id, idx, data) VALUES (?, ?, ?)", rows)
        times = [(article.id, i, json.dumps(_record_to_dict(t), ensure_ascii=False), *(t.interval() or (None, None)))
                 for i, t in enumerate(article.times)]
        if times:
            self.conn.executemany("INSERT INTO times(article_id, idx, data, first_day, last_day)"
                                  " VALUES (?, ?, ?, ?, ?)", times)
        return resolved

    def _text(self, article_id: str) -> str:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}", where=str(self.path))
        return str(row[0])

    def reuse(self, article_id: str) -> list[dict[str, Any]]:
        """Stored articles this one shares passages with (copies.reuse), most shared first."""
        return reuse(self.conn, article_id, len(self._text(article_id)))

    def copies(self, article_id: str) -> dict[str, Any]:
        """Agency credits in the article, the stored articles it shares passages with, and its other versions."""
        text = self._text(article_id)
        return {"id": article_id, "credits": credits(text), "reuse": reuse(self.conn, article_id, len(text)),
                "versions": story_clusters.versions(self.conn, article_id)}

    def keywords(self, article_id: str, n: int = 10) -> list[dict[str, Any]]:
        """The article's keywords: content lemmas ranked by TF-IDF against the corpus."""
        self._text(article_id)  # NotFound for an unknown id
        return story_clusters.keywords(self.conn, article_id, n)

    def rebuild_stories(self) -> int:
        """All stories anew, with vectors of this corpus's ``story_vectors`` kind; an article that cannot be placed
        is recorded as an NG207 failure."""
        count, failed = story_clusters.rebuild(self.conn, list(self.iter_articles()), self.story_vectors)
        self.record_failures([self._link_failure(article, "stories", exc) for article, exc in failed])
        return count

    def copy_pairs(self, *, min_share: float = 0.2, limit: int = 100) -> list[dict[str, Any]]:
        """Pairs of articles that share passages, the larger share first (each pair once)."""
        return pairs(self.conn, min_share=min_share, limit=limit)

    def record_failures(self, failures: Iterable[Failure], *, again: bool = True) -> int:
        """Record failures; the same input failing with the same code again is counted on its row, with the
        latest reason and when it was last seen. ``again=False`` keeps a row already there as it is (loading
        the same job's output twice is no second failure)."""
        now = _now()
        rows = [(f.input, f.code, f.reason, f.hint, f.stage, now, now) for f in failures]
        on_conflict = ("DO UPDATE SET count = count + 1, reason = excluded.reason, hint = excluded.hint,"
                       " stage = excluded.stage, last_seen = excluded.last_seen") if again else "DO NOTHING"
        with self.conn:
            self.conn.executemany(
                "INSERT INTO failures(input, code, reason, hint, stage, recorded_at, last_seen)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(input, code) {on_conflict}", rows)
        return len(rows)

    def clear_failures(self) -> int:
        """Forget every recorded failure; returns how many rows there were."""
        with self.conn:
            return self.conn.execute("DELETE FROM failures").rowcount

    # --- reading -------------------------------------------------------------------------------------------

    def run(self, sql: str, params: Iterable[Any] = (), *, fts_query: str | None = None) -> list[dict[str, Any]]:
        """Run one parameterised read query with the time limit; rows as dicts.

        ``fts_query``: the user's FTS5 query among the parameters. It is the only part a user controls, so any
        other SQLite error (syntax, unknown column "foo:bar", …) is reported as that query being malformed.
        """
        deadline = time.monotonic() + self.time_limit
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            return [dict(r) for r in self.conn.execute(sql, tuple(params)).fetchall()]
        except sqlite3.Error as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(f"query ran longer than {self.time_limit:.1f}s", where=str(self.path)) from exc
            error = self._translate(exc)
            if fts_query is not None and type(error) is StoreError:  # not locked, read-only or damaged
                raise BadQuery(f"cannot parse search query {fts_query!r}: {exc}") from exc
            raise error from exc
        finally:
            self.conn.set_progress_handler(None, 0)

    def check(self) -> dict[str, Any]:
        """SQLite's integrity check, FTS5's own check of the search index against the articles, and the counts
        (after a crash: what survived, and whether it is consistent). Damage is reported, not raised."""
        report: dict[str, Any] = {}
        try:
            rows = self.conn.execute("PRAGMA integrity_check(20)").fetchall()
            report["integrity"] = "; ".join(str(r[0]) for r in rows)
        except sqlite3.DatabaseError as exc:
            report["integrity"] = str(exc)
        report["fts"] = self._check_fts()
        for key, sql in (("articles", "SELECT COUNT(*) FROM articles"), ("fts_rows", "SELECT COUNT(*) FROM articles_fts"),
                         ("failures", "SELECT COUNT(*) FROM failures")):
            try:
                report[key] = int(self.conn.execute(sql).fetchone()[0])
            except sqlite3.DatabaseError as exc:
                report[key] = f"unreadable: {exc}"
        return report

    def _check_fts(self) -> str:
        """FTS5's integrity check is written as an INSERT, so a reader runs it on a connection of its own (which
        changes nothing); in a folder that cannot be written it is skipped."""
        if self.readonly and not writable(self.path):
            return "ok (not checked: the file is read-only)"
        conn = sqlite3.connect(self.path, timeout=5.0) if self.readonly else self.conn
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            return "ok"
        except sqlite3.DatabaseError as exc:
            return str(exc)
        finally:
            if conn is not self.conn:
                conn.close()

    def verify(self) -> None:
        """StoreDamaged unless SQLite's quick check finds the file whole: ``serve`` runs it before starting, and the
        CLI's writing commands before they write (writing into a damaged file would bury the damage deeper). It
        reads the whole file, so it is not part of opening the store."""
        try:
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA quick_check(5)").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise self._translate(exc) from exc
        if problems != ["ok"]:
            raise StoreDamaged(f"database {self.path} is damaged: {'; '.join(problems)[:500]}", where=str(self.path))

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def get(self, article_id: str) -> Article:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}", where=str(self.path))
        return self._article(row)

    def _article(self, row: sqlite3.Row) -> Article:
        data: dict[str, Any] = {k: row[k] for k in ("id", "title", "url", "published", "source", "language",
                                                      "text", "modified", "host")}
        data["meta"] = json.loads(row["meta"])
        data["authors"] = [r[0] for r in self.conn.execute(
            "SELECT name FROM article_authors WHERE article_id = ? ORDER BY position", (row["id"],))]
        for name in LAYER_TYPES:
            data[name] = [json.loads(r[0]) for r in self.conn.execute(
                f"SELECT data FROM {name} WHERE article_id = ? ORDER BY idx", (row["id"],))]
        return Article.from_dict(data)

    def iter_articles(self) -> Iterator[Article]:
        for row in self.conn.execute("SELECT * FROM articles ORDER BY published, id").fetchall():
            yield self._article(row)

    def search_query(self, query: str, *, limit: int = 10, offset: int = 0) -> Query:
        sql = (
            "SELECT a.id, a.title, a.published, a.source,"
            " snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, bm25(articles_fts) AS rank"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
        )
        return Query(sql, (query, limit, offset))

    def search(self, query: str, *, limit: int = 10, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and text; ``[`` ``]`` mark the matches in the snippet."""
        if not query.strip():
            raise BadQuery("empty search query", hint="give at least one word, e.g. newsgraph search Putin")
        if len(query) > MAX_QUERY_CHARS:
            # FTS5 parses and plans a query before SQLite's progress handler (the time limit) ever runs.
            raise BadQuery(f"search query has {len(query):,} characters; the limit is {MAX_QUERY_CHARS}",
                           hint="search for a few words or a phrase")
        q = self.search_query(query, limit=limit, offset=offset)
        rows = self.run(q.sql, q.params, fts_query=query)
        return [SearchHit(r["id"], r["title"], r["published"], r["source"], r["snippet"], r["rank"])
                for r in rows]

    def failures(self, *, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT input, code, reason, hint, stage, recorded_at, count, last_seen FROM failures"
            " ORDER BY last_seen DESC, id DESC LIMIT ?",
            (limit,)).fetchall()
        return [dict(r) for r in rows]

    def failure_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0])
