"""Networks over the corpus: who talks about whom (statements) and who acts on whom (events).

``network`` returns the top nodes by weight and the edges among them, with names; ``to_networkx`` turns that
into a ``networkx.DiGraph`` for layout and for the GraphML / GEXF exports that Gephi reads.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgraph.store.corpus import Corpus
from newsgraph.store.queries import Filters

EDGE_KINDS = ("quotes", "events")
EDGE_KIND_LABELS = {"quotes": "talks about (speaker → entity named in the statement)",
                    "events": "acts on (event source → target)"}
MAX_EDGES = 5000  # edges read before ranking nodes; the heaviest first

# speaker entity -> each entity mentioned inside the statement's message
_QUOTE_EDGES = (
    "SELECT sp.key AS source, MIN(sp.name) AS source_name, MIN(sp.label) AS source_label, tg.key AS target,"
    " MIN(tg.name) AS target_name, MIN(tg.label) AS target_label, COUNT(*) AS weight"
    " FROM statements s JOIN articles a ON a.id = s.article_id"
    " JOIN entities sp ON sp.article_id = s.article_id AND sp.idx = s.speaker_entity"
    " JOIN json_each(s.data, '$.message') msg"
    " JOIN mentions m ON m.article_id = s.article_id AND m.entity IS NOT NULL"
    " AND json_extract(m.data, '$.start') >= json_extract(msg.value, '$.start')"
    " AND json_extract(m.data, '$.end') <= json_extract(msg.value, '$.end')"
    " JOIN entities tg ON tg.article_id = m.article_id AND tg.idx = m.entity"
    " {where} GROUP BY sp.key, tg.key ORDER BY weight DESC LIMIT ?")
# event source entity -> target entity
_EVENT_EDGES = (
    "SELECT sp.key AS source, MIN(sp.name) AS source_name, MIN(sp.label) AS source_label, tg.key AS target,"
    " MIN(tg.name) AS target_name, MIN(tg.label) AS target_label, COUNT(*) AS weight,"
    " GROUP_CONCAT(DISTINCT ev.type) AS types"
    " FROM events ev JOIN articles a ON a.id = ev.article_id"
    " JOIN entities sp ON sp.article_id = ev.article_id AND sp.idx = ev.source_entity"
    " JOIN entities tg ON tg.article_id = ev.article_id AND tg.idx = ev.target_entity"
    " {where} GROUP BY sp.key, tg.key ORDER BY weight DESC LIMIT ?")


def network(corpus: Corpus, *, kind: str = "quotes", entity: str | None = None, date_from: str | None = None,
            date_to: str | None = None, top: int = 40) -> dict[str, Any]:
    """The ``top`` nodes by weight (the sum of their edges' weights) and the edges among them.

    ``kind``: ``quotes`` (who talks about whom) or ``events`` (who acts on whom); ``entity`` (an id or part of
    a name) keeps the edges that touch it; dates filter by publication date (a partial date_to covers its
    month or year)."""
    if kind not in EDGE_KINDS:
        raise ValueError(f"kind must be one of {EDGE_KINDS}")
    filters = Filters()
    filters.clauses.append("sp.key != tg.key")
    filters.add(entity, "(sp.key = ? OR tg.key = ? OR sp.name LIKE ? OR tg.name LIKE ?)", entity, entity,
                f"%{entity}%", f"%{entity}%")
    filters.dates(date_from, date_to)
    sql = (_QUOTE_EDGES if kind == "quotes" else _EVENT_EDGES).format(where=filters.where)
    rows = corpus.run(sql, (*filters.params, MAX_EDGES))
    weight: Counter[str] = Counter()
    info: dict[str, dict[str, Any]] = {}
    for r in rows:
        for end in ("source", "target"):
            weight[r[end]] += r["weight"]
            info[r[end]] = {"id": r[end], "name": r[f"{end}_name"], "label": r[f"{end}_label"]}
    kept = {key for key, _ in weight.most_common(top)}
    edges = [{"source": r["source"], "target": r["target"], "source_name": r["source_name"],
              "target_name": r["target_name"], "weight": r["weight"], "kind": kind,
              **({"types": sorted((r["types"] or "").split(","))} if kind == "events" else {})}
             for r in rows if r["source"] in kept and r["target"] in kept]
    nodes = [{**info[key], "weight": w} for key, w in weight.most_common(top)]
    return {"kind": kind, "nodes": nodes, "edges": edges, "total_nodes": len(weight), "total_edges": len(rows)}


def to_networkx(graph: dict[str, Any]) -> Any:
    """A ``networkx.DiGraph`` with names, labels and weights as attributes (what GraphML and GEXF carry)."""
    import networkx as nx

    g = nx.DiGraph(kind=graph["kind"])
    for n in graph["nodes"]:
        g.add_node(n["id"], label=n["name"], entity_type=n["label"] or "", weight=n["weight"])
    for e in graph["edges"]:
        g.add_edge(e["source"], e["target"], weight=e["weight"], kind=e["kind"],
                   types=",".join(e.get("types", [])))
    return g


GRAPH_FORMATS = ("graphml", "gexf")


def graph_bytes(graph: dict[str, Any], fmt: str) -> bytes:
    """The network as GraphML or GEXF (both open in Gephi)."""
    import networkx as nx

    g = to_networkx(graph)
    lines = nx.generate_graphml(g) if fmt == "graphml" else nx.generate_gexf(g)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines) + "\n").encode("utf-8")
