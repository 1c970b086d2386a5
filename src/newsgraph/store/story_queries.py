"""Story queries: stories with their label, timeline, statements across outlets and who said what."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import newsgraph.store.stories as stories
from newsgraph.errors import NotFound
from newsgraph.store.corpus import Corpus
from newsgraph.store.queries import MAX_LIMIT, UNTITLED_TITLE, Filters, _statement_rows


def _summary(corpus: Corpus, row: dict[str, Any]) -> dict[str, Any]:
    counts = Counter(json.loads(row["entities"]))
    names = stories.entity_names(corpus.conn, [k for k, _ in counts.most_common(10)])
    return {"id": row["id"], "label": stories.label(corpus.conn, row["id"]), "size": row["size"],
            "first_published": row["first_published"], "last_published": row["last_published"],
            "entities": [{"id": k, "name": names.get(k, k), "articles": n} for k, n in counts.most_common(10)]}


def list_stories(corpus: Corpus, *, q: str | None = None, entity: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, min_size: int = 1, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Stories, largest and newest first; ``q`` matches the text of their articles, ``entity`` a corpus key."""
    filters = Filters()
    filters.add(q, "s.id IN (SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                " WHERE a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))")
    filters.add(entity, "s.id IN (SELECT sa.story_id FROM story_articles sa JOIN entities e"
                " ON e.article_id = sa.article_id WHERE e.key = ?)")
    filters.add(date_from, "s.last_published >= ?")
    filters.add(date_to, "s.first_published <= ?", f"{date_to}\uffff")
    filters.clauses.append("s.size >= ?")
    filters.params.append(min_size)
    where, params = filters.where, filters.params
    total = corpus.run(f"SELECT COUNT(*) AS n FROM stories s{where}", params, fts_query=q)[0]["n"]
    rows = corpus.run(f"SELECT s.* FROM stories s{where} ORDER BY s.size DESC, s.last_published DESC, s.id"
                      " LIMIT ? OFFSET ?", (*params, limit, offset), fts_query=q)
    return {"total": total, "limit": limit, "offset": offset, "stories": [_summary(corpus, r) for r in rows]}


def story_of(corpus: Corpus, article_id: str) -> dict[str, Any] | None:
    rows = corpus.run("SELECT s.* FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
                      " WHERE sa.article_id = ?", (article_id,))
    return _summary(corpus, rows[0]) if rows else None


def get_story(corpus: Corpus, story_id: int) -> dict[str, Any]:
    """One story: label, keywords, its articles on a timeline, statements across outlets, who said what."""
    rows = corpus.run("SELECT * FROM stories WHERE id = ?", (story_id,))
    if not rows:
        raise NotFound(f"no story {story_id}", hint="list stories at /stories or with newsgraph stories")
    story = _summary(corpus, rows[0])
    story["keywords"] = stories.story_keywords(corpus.conn, story_id)
    story["articles"] = corpus.run(
        f"SELECT a.id, {UNTITLED_TITLE} AS title, a.published, a.source, a.url, sa.similarity"
        " FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?"
        " ORDER BY a.published, a.id", (story_id,))
    filters = Filters()
    filters.add(str(story_id), "s.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)",
                story_id)
    statements = _statement_rows(corpus, filters.where, filters.params, MAX_LIMIT, 0)
    source = {a["id"]: a["source"] for a in story["articles"]}
    for st in statements:
        st["source"] = source.get(st["article_id"])
    story["statements"] = statements
    speakers: Counter[tuple[str, str]] = Counter(
        (s["speaker"]["id"], s["speaker"]["name"]) for s in statements if s["speaker"])
    story["speakers"] = [{"id": k, "name": n, "statements": c} for (k, n), c in speakers.most_common()]
    return story
