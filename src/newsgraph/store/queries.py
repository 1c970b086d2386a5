"""Corpus queries behind the CLI, the REST API and the web UI: articles, facets, entities, statements, network.

Every function takes a ``Corpus`` and returns JSON-ready dicts; limits are bounded by the caller.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import newsgraph.store.stories as stories
from newsgraph.errors import BadQuery, NotFound
from newsgraph.store.corpus import Corpus
from newsgraph.store.entities import CANONICAL_NAME

MAX_LIMIT = 100
# An untitled article is listed by its first words, on one line (store/corpus.py registers first_words)
FIRST_WORDS = "first_words(a.text, {n})"
UNTITLED_TITLE = f"COALESCE(a.title, {FIRST_WORDS.format(n=80)})"


class Filters:
    """A WHERE clause built from the filters the caller set: each ``add`` counts only when its value is set."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, value: str | None, condition: str, *params: Any) -> None:
        """Add ``condition`` with ``params`` (default: the value itself) when ``value`` is set."""
        if value:
            self.clauses.append(condition)
            self.params.extend(params or (value,))

    def dates(self, date_from: str | None, date_to: str | None) -> None:
        """Publication date filters; a partial date_to ("2025-02") includes the whole month."""
        self.add(date_from, "a.published >= ?")
        self.add(date_to, "a.published <= ?", f"{date_to}\uffff")

    def mentioned(self, mentioned_from: str | None, mentioned_to: str | None) -> None:
        """Articles with a time expression whose days overlap the range (partial dates as in ``dates``)."""
        if not (mentioned_from or mentioned_to):
            return
        self.clauses.append("EXISTS (SELECT 1 FROM times t WHERE t.article_id = a.id AND t.last_day >= ?"
                            " AND t.first_day <= ?)")
        self.params.extend([mentioned_from or "0000", f"{mentioned_to}\uffff" if mentioned_to else "9999\uffff"])

    @property
    def where(self) -> str:
        return (" WHERE " + " AND ".join(self.clauses)) if self.clauses else ""


def _where_articles(q: str | None, source: str | None, entity: str | None, date_from: str | None,
                    date_to: str | None, mentioned_from: str | None = None,
                    mentioned_to: str | None = None, topic: str | None = None,
                    story: int | None = None, author: str | None = None) -> tuple[str, list[Any]]:
    filters = Filters()
    filters.add(q, "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
    filters.add(source, "a.source = ?")
    filters.add(author, "a.id IN (SELECT article_id FROM article_authors WHERE name = ?)")
    filters.add(topic, "json_extract(a.meta, '$.topic') = ?")
    filters.add(entity, "a.id IN (SELECT article_id FROM entities WHERE key = ?)")
    filters.add(str(story) if story is not None else None,
                "a.id IN (SELECT article_id FROM story_articles WHERE story_id = ?)", story)
    filters.dates(date_from, date_to)
    filters.mentioned(mentioned_from, mentioned_to)
    return filters.where, filters.params


def as_words(q: str) -> str:
    """``q`` as an FTS5 query of plain words: each whitespace-separated part a quoted phrase."""
    return " ".join('"' + part.replace('"', '""') + '"' for part in q.split()) or '""'


def readable_query(corpus: Corpus, q: str | None) -> tuple[str | None, str]:
    """The query to run and how it is read: as FTS5 syntax ("fts") when SQLite can parse it, else as plain
    words ("words"), so that any text a user types finds something instead of failing."""
    if not q:
        return q, "fts"
    try:
        corpus.run("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (q,), fts_query=q)
    except BadQuery:
        return as_words(q), "words"
    return q, "fts"


def add_snippets(corpus: Corpus, q: str | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each listed article the FTS snippet for ``q`` (its lead when the query has no match in it)."""
    ids = [r["id"] for r in rows]
    found: dict[str, str] = {}
    if q and ids:
        marks = ", ".join("?" for _ in ids)
        found = {r["id"]: r["snippet"] for r in corpus.run(
            "SELECT a.id, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet FROM articles_fts"
            f" JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? AND a.id IN ({marks})",
            (q, *ids), fts_query=q)}
    for r in rows:
        r["snippet"] = found.get(r["id"], r["lead"])
    return rows


def list_articles(corpus: Corpus, *, q: str | None = None, source: str | None = None, entity: str | None = None,
                  date_from: str | None = None, date_to: str | None = None, mentioned_from: str | None = None,
                  mentioned_to: str | None = None, topic: str | None = None, story: int | None = None,
                  author: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Articles filtered by search query, source, author, entity, publication date, the dates they mention,
    topic and story."""
    where, params = _where_articles(q, source, entity, date_from, date_to, mentioned_from, mentioned_to, topic,
                                    story, author)
    rows = corpus.run(
        f"SELECT a.id, a.title, a.published, a.source, a.host, a.url, {FIRST_WORDS.format(n=200)} AS lead,"
        " (SELECT json_group_array(name) FROM (SELECT name FROM article_authors WHERE article_id = a.id"
        " ORDER BY position)) AS authors,"
        " json_extract(a.meta, '$.topic') AS topic,"
        " (SELECT story_id FROM story_articles WHERE article_id = a.id) AS story"
        f" FROM articles a{where} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?", (*params, limit, offset),
        fts_query=q)
    for row in rows:
        row["authors"] = json.loads(row["authors"] or "[]")
    total = corpus.run(f"SELECT COUNT(*) AS n FROM articles a{where}", params, fts_query=q)[0]["n"]
    return {"total": total, "limit": limit, "offset": offset, "articles": rows}


def facets(corpus: Corpus, *, q: str | None = None, source: str | None = None, entity: str | None = None,
           date_from: str | None = None, date_to: str | None = None, topic: str | None = None,
           story: int | None = None, author: str | None = None, size: int = 10) -> dict[str, Any]:
    """Counts of matching articles by source, author, entity, month, topic and story (stories of two or more)."""
    where, params = _where_articles(q, source, entity, date_from, date_to, topic=topic, story=story, author=author)
    by_author = corpus.run(f"SELECT au.name AS value, COUNT(*) AS count FROM article_authors au JOIN articles a"
                           f" ON a.id = au.article_id{where} GROUP BY au.name ORDER BY count DESC, value LIMIT ?",
                           (*params, size), fts_query=q)
    by_source = corpus.run(f"SELECT a.source AS value, COUNT(*) AS count FROM articles a{where}"
                           " GROUP BY a.source ORDER BY count DESC LIMIT ?", (*params, size), fts_query=q)
    by_month = corpus.run(f"SELECT substr(a.published, 1, 7) AS value, COUNT(*) AS count FROM articles a{where}"
                          " GROUP BY value ORDER BY value DESC LIMIT ?", (*params, size), fts_query=q)
    by_entity = corpus.run(
        "SELECT e.key AS value, MIN(e.name) AS name, MIN(e.label) AS label, COUNT(DISTINCT e.article_id) AS count"
        f" FROM entities e JOIN articles a ON a.id = e.article_id{where}"
        " GROUP BY e.key ORDER BY count DESC, value LIMIT ?", (*params, size), fts_query=q)
    by_topic = corpus.run(f"SELECT json_extract(a.meta, '$.topic') AS value, COUNT(*) AS count FROM articles a{where}"
                          " GROUP BY value HAVING value IS NOT NULL ORDER BY count DESC LIMIT ?", (*params, size),
                          fts_query=q)
    by_story = corpus.run(
        "SELECT sa.story_id AS value, COUNT(*) AS count FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
        f"{where} GROUP BY sa.story_id HAVING count > 1 ORDER BY count DESC, value LIMIT ?", (*params, size),
        fts_query=q)
    for row in by_story:
        row["name"] = stories.label(corpus.conn, row["value"])
    return {"source": by_source, "author": by_author, "month": by_month, "entity": by_entity, "topic": by_topic,
            "story": by_story}


def list_entities(corpus: Corpus, *, label: str | None = None, q: str | None = None, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    filters = Filters()
    filters.add(label, "key LIKE ?", f"{label}:%")
    filters.add(q, "name LIKE ?", f"%{q}%")
    where, params = filters.where, filters.params
    rows = corpus.run(
        f"SELECT key AS id, {CANONICAL_NAME} AS name,"
        " substr(key, 1, instr(key, ':') - 1) AS label, COUNT(DISTINCT article_id) AS articles"
        f" FROM entities{where} GROUP BY key ORDER BY articles DESC, id LIMIT ? OFFSET ?", (*params, limit, offset))
    total = corpus.run(f"SELECT COUNT(DISTINCT key) AS n FROM entities{where}", params)[0]["n"]
    return {"total": total, "limit": limit, "offset": offset, "entities": rows}


def _statement_rows(corpus: Corpus, where: str, params: list[Any], limit: int, offset: int) -> list[dict[str, Any]]:
    rows = corpus.run(
        f"SELECT s.article_id, s.idx, s.data, {UNTITLED_TITLE} AS title, a.published, a.text,"
        " sp.key AS speaker_id, sp.name AS speaker_name, sp.label AS speaker_label"
        " FROM statements s JOIN articles a ON a.id = s.article_id"
        f" LEFT JOIN entities sp ON sp.article_id = s.article_id AND sp.idx = s.speaker_entity{where}"
        " ORDER BY a.published DESC, s.article_id, s.idx LIMIT ? OFFSET ?", (*params, limit, offset))
    out = []
    for r in rows:
        st = json.loads(r["data"])
        spans = [x for x in [st.get("cue"), st.get("speaker"), *st.get("message", [])] if x]
        start = min(x["start"] for x in spans) if spans else 0
        end = max(x["end"] for x in spans) if spans else 0
        start, end = _sentence_bounds(corpus, r["article_id"], start, end)
        out.append({"article_id": r["article_id"], "index": r["idx"], "title": r["title"],
                    "published": r["published"], "statement": st, "evidence": r["text"][start:end],
                    "speaker": {"id": r["speaker_id"], "name": r["speaker_name"], "label": r["speaker_label"]}
                    if r["speaker_id"] else None})
    return out


def _sentence_bounds(corpus: Corpus, article_id: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the sentences it touches, so evidence is always whole sentences."""
    rows = corpus.run("SELECT json_extract(data, '$.start') AS s, json_extract(data, '$.end') AS e FROM sentences"
                      " WHERE article_id = ? AND json_extract(data, '$.end') > ? AND json_extract(data, '$.start') < ?",
                      (article_id, start, end))
    if not rows:
        return start, end
    return min(start, min(r["s"] for r in rows)), max(end, max(r["e"] for r in rows))


def list_statements(corpus: Corpus, *, speaker: str | None = None, about: str | None = None,
                    kind: str | None = None, medium: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, mentioned_from: str | None = None, mentioned_to: str | None = None,
                    min_confidence: float | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Statements filtered by speaker entity (key or name), entity talked about, kind, medium, publication date,
    the dates their article mentions, and confidence (a statement without one does not pass a minimum)."""
    filters = Filters()
    filters.add(speaker, "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = s.article_id"
                " AND e.idx = s.speaker_entity AND (e.key = ? OR e.name LIKE ?))", speaker, f"%{speaker}%")
    filters.add(about, "EXISTS (SELECT 1 FROM mentions m JOIN entities e ON e.article_id = m.article_id"
                " AND e.idx = m.entity, json_each(s.data, '$.message') msg"
                " WHERE m.article_id = s.article_id AND (e.key = ? OR e.name LIKE ?)"
                " AND json_extract(m.data, '$.start') >= json_extract(msg.value, '$.start')"
                " AND json_extract(m.data, '$.end') <= json_extract(msg.value, '$.end'))", about, f"%{about}%")
    filters.add(kind, "s.kind = ?")
    filters.add(medium, "json_extract(s.data, '$.medium') = ?")
    filters.add(None if min_confidence is None else str(min_confidence),
                "json_extract(s.data, '$.confidence') >= ?", min_confidence)
    filters.dates(date_from, date_to)
    filters.mentioned(mentioned_from, mentioned_to)
    where, params = filters.where, filters.params
    total = corpus.run(f"SELECT COUNT(*) AS n FROM statements s JOIN articles a ON a.id = s.article_id{where}",
                       params)[0]["n"]
    return {"total": total, "limit": limit, "offset": offset,
            "statements": _statement_rows(corpus, where, params, limit, offset)}


def get_entity(corpus: Corpus, key: str) -> dict[str, Any]:
    """One corpus entity: names, aliases, roles, mentions per month, statements by and about it."""
    rows = corpus.run(f"SELECT e.article_id, e.idx, e.data, e.local_key, a.published, {UNTITLED_TITLE} AS title"
                      " FROM entities e"
                      " JOIN articles a ON a.id = e.article_id WHERE e.key = ? ORDER BY a.published", (key,))
    merged = sorted({r["local_key"] for r in corpus.run("SELECT DISTINCT local_key FROM entities WHERE key = ?"
                                                        " AND local_key IS NOT key", (key,))})
    if not rows:
        raise NotFound(f"no entity {key!r}", hint="list entities at /entities or with the API /api/entities")
    aliases: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for r in rows:
        data = json.loads(r["data"])
        aliases.update(data["aliases"])
        roles.update(data["roles"])
    affiliations = corpus.run(
        "SELECT af.key AS id, MIN(af.name) AS name, COUNT(*) AS articles"
        " FROM entities e JOIN json_each(e.data, '$.affiliations') j"
        " JOIN entities af ON af.article_id = e.article_id AND af.idx = j.value"
        " WHERE e.key = ? GROUP BY af.key ORDER BY articles DESC, af.key", (key,))
    # The name of a row analysed under this very key ("Wladimir Putin", not a "Putin" joined to it).
    first = next((json.loads(r["data"]) for r in rows if r["local_key"] == key), json.loads(rows[0]["data"]))
    timeline: defaultdict[str, int] = defaultdict(int)
    for r in corpus.run("SELECT substr(a.published, 1, 7) AS month, COUNT(*) AS n FROM mentions m"
                        " JOIN entities e ON e.article_id = m.article_id AND e.idx = m.entity"
                        " JOIN articles a ON a.id = m.article_id WHERE e.key = ? GROUP BY month ORDER BY month",
                        (key,)):
        timeline[r["month"] or "undated"] += r["n"]
    return {
        "id": key, "name": first["name"], "label": first["label"],
        "aliases": [a for a, _ in aliases.most_common()], "roles": [r for r, _ in roles.most_common()],
        "affiliations": affiliations, "merged": merged,
        "articles": [{"id": r["article_id"], "title": r["title"], "published": r["published"]} for r in rows],
        "timeline": [{"month": m, "mentions": n} for m, n in timeline.items()],
        "statements_by": list_statements(corpus, speaker=key, limit=MAX_LIMIT)["statements"],
        "statements_about": list_statements(corpus, about=key, limit=MAX_LIMIT)["statements"],
    }
