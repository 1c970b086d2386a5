"""Event queries: events filtered by type, actor, country, date and modality, as JSON-ready dicts."""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.corpus import Corpus
from newsgraph.store.queries import _Filters, _sentence_bounds


def list_events(corpus: Corpus, *, kind: str | None = None, actor: str | None = None, country: str | None = None,
                date_from: str | None = None, date_to: str | None = None, modality: str | None = None,
                limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Events, newest first. ``actor`` is an entity id or part of a name, as source or target; ``country`` an
    ISO 3166 alpha-3 code (or organisation code) of either actor; dates filter the event's date."""
    filters = _Filters()
    filters.add(kind, "v.type = ?")
    filters.add(actor, "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = v.article_id"
                " AND e.idx IN (v.source_entity, v.target_entity) AND (e.key = ? OR e.name LIKE ?))",
                actor, f"%{actor}%")
    filters.add(country, "(v.source_country = ? OR v.target_country = ?)", country, country)
    filters.add(date_from, "json_extract(v.data, '$.date') >= ?")
    filters.add(date_to, "json_extract(v.data, '$.date') <= ?", f"{date_to}\uffff")
    filters.add(modality, "json_extract(v.data, '$.modality') = ?")
    where, params = filters.where, filters.params
    total = corpus.run(f"SELECT COUNT(*) AS n FROM events v{where}", params)[0]["n"]
    rows = corpus.run(
        "SELECT v.article_id, v.idx, v.data, COALESCE(a.title, substr(a.text, 1, 80)) AS title, a.published, a.text,"
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
