"""Event queries: events filtered by type, actor, country, date, modality and confidence, as JSON-ready dicts."""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.corpus import Corpus
from newsgraph.store.queries import UNTITLED_TITLE, Filters, _sentence_bounds

ROLE_COLUMNS = {"source": "v.source_entity", "target": "v.target_entity"}


def list_events(corpus: Corpus, *, kind: str | None = None, actor: str | None = None, country: str | None = None,
                date_from: str | None = None, date_to: str | None = None, modality: str | None = None,
                role: str | None = None, min_confidence: float | None = None, limit: int = 20,
                offset: int = 0) -> dict[str, Any]:
    """Events, newest first. ``actor`` is an entity id or part of a name, as source or target (or only as the
    ``role`` given); ``country`` an ISO 3166 alpha-3 code (or organisation code) of either actor; dates filter
    the event's date; ``min_confidence`` keeps events at least that sure of their type and source."""
    filters = Filters()
    filters.add(kind, "v.type = ?")
    columns = ROLE_COLUMNS[role] if role else "v.source_entity, v.target_entity"
    filters.add(actor, "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = v.article_id"
                f" AND e.idx IN ({columns}) AND (e.key = ? OR e.name LIKE ?))", actor, f"%{actor}%")
    filters.add(country, "(v.source_country = ? OR v.target_country = ?)", country, country)
    filters.add(date_from, "json_extract(v.data, '$.date') >= ?")
    filters.add(date_to, "json_extract(v.data, '$.date') <= ?", f"{date_to}\uffff")
    filters.add(modality, "json_extract(v.data, '$.modality') = ?")
    filters.add(None if min_confidence is None else str(min_confidence),
                "json_extract(v.data, '$.confidence') >= ?", min_confidence)
    where, params = filters.where, filters.params
    total = corpus.run(f"SELECT COUNT(*) AS n FROM events v{where}", params)[0]["n"]
    rows = corpus.run(
        f"SELECT v.article_id, v.idx, v.data, {UNTITLED_TITLE} AS title, a.published, a.text,"
        " se.key AS source_key, se.name AS source_name, te.key AS target_key, te.name AS target_name"
        f" FROM events v JOIN articles a ON a.id = v.article_id"
        " LEFT JOIN entities se ON se.article_id = v.article_id AND se.idx = v.source_entity"
        " LEFT JOIN entities te ON te.article_id = v.article_id AND te.idx = v.target_entity"
        f"{where} ORDER BY COALESCE(json_extract(v.data, '$.date'), a.published) DESC, v.article_id, v.idx"
        " LIMIT ? OFFSET ?", (*params, limit, offset))
    events = []
    for r in rows:
        event = json.loads(r["data"])
        start, end = _sentence_bounds(corpus, r["article_id"], event["trigger"]["start"], event["trigger"]["end"])
        events.append({"article_id": r["article_id"], "index": r["idx"], "title": r["title"],
                       "published": r["published"], "event": event,
                       "source_entity": {"id": r["source_key"], "name": r["source_name"]} if r["source_key"] else None,
                       "target_entity": {"id": r["target_key"], "name": r["target_name"]} if r["target_key"] else None,
                       "evidence": r["text"][start:end]})
    return {"total": total, "limit": limit, "offset": offset, "events": events}


def dyad(corpus: Corpus, a: str, b: str) -> dict[str, Any]:
    """Events between two corpus entities (ids), either way round: counts by type per month (by event date,
    else publication date), and the events themselves."""
    rows = corpus.run(
        "SELECT substr(COALESCE(json_extract(v.data, '$.date'), a.published), 1, 7) AS month, v.type AS type,"
        " CASE WHEN se.key = ? THEN 'a->b' ELSE 'b->a' END AS direction, COUNT(*) AS n"
        " FROM events v JOIN articles a ON a.id = v.article_id"
        " JOIN entities se ON se.article_id = v.article_id AND se.idx = v.source_entity"
        " JOIN entities te ON te.article_id = v.article_id AND te.idx = v.target_entity"
        " WHERE (se.key = ? AND te.key = ?) OR (se.key = ? AND te.key = ?)"
        " GROUP BY month, type, direction ORDER BY month, type", (a, a, b, b, a))
    names = {r["key"]: r["name"] for r in corpus.run(
        "SELECT key, MIN(name) AS name FROM entities WHERE key IN (?, ?) GROUP BY key", (a, b))}
    types = sorted({r["type"] for r in rows})
    months = sorted({r["month"] or "undated" for r in rows})
    table = {m: {t: 0 for t in types} for m in months}
    for r in rows:
        table[r["month"] or "undated"][r["type"]] += r["n"]
    return {"a": {"id": a, "name": names.get(a, a)}, "b": {"id": b, "name": names.get(b, b)},
            "types": types, "months": [{"month": m, "counts": table[m]} for m in months],
            "by_direction": [{"month": r["month"] or "undated", "type": r["type"], "direction": r["direction"],
                              "events": r["n"]} for r in rows],
            "total": sum(r["n"] for r in rows)}
