"""Article text to highlighted segments (displaCy-style), and small SVG charts, for the templates."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from newsgraph.model import Article, EventActor


@dataclass
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    entity: str | None = None  # corpus entity key, for a link


def _marks(article: Article) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, css class, hover text, entity key) for mentions, statement parts and time expressions."""
    marks: list[tuple[int, int, str, str, str | None]] = []
    for ev in article.events:
        what = (f"{_actor(article, ev.source)} → {ev.type}{' ' + ev.mode if ev.mode else ''} → {_actor(article, ev.target)}"
                f" ({ev.modality}{', reported' if ev.statement is not None else ''}"
                f"{'' if ev.confidence is None else f', confidence {ev.confidence:.2f}'})")
        for part in (ev.trigger, *ev.trigger_parts):
            marks.append((part.start, part.end, f"event event-{ev.type}", what, None))
    for t in article.times:
        how = {"published": " (from the publication date)", "text": " (from an earlier date in the text)"}
        marks.append((t.start, t.end, f"time time-{t.kind}",
                      f"{t.kind} {t.value or 'unresolved'}{how.get(t.anchor or '', '')}", None))
    for m in article.mentions:
        ent = article.entities[m.entity] if m.entity is not None else None
        what = f"{m.label}{' ' + m.form if m.form else ''}" + (f" → {ent.name}" if ent else "")
        marks.append((m.start, m.end, f"ent ent-{m.label}", what, ent.id if ent else None))
    for i, st in enumerate(article.statements, start=1):
        speaker = st.speaker.text if st.speaker else "unknown speaker"
        if st.speaker and st.speaker.entity is not None:
            speaker = article.entities[st.speaker.entity].name
        about = f"statement {i} ({st.kind}): {speaker}" + (f" — „{st.cue.text}“" if st.cue else "")
        if st.speaker:
            marks.append((st.speaker.start, st.speaker.end, f"speaker st-{i}", f"speaker of {about}", None))
        if st.cue:
            marks.append((st.cue.start, st.cue.end, f"cue st-{i}", f"cue of {about}", None))
        for part in st.message:
            marks.append((part.start, part.end, f"message st-{i}", f"message of {about}", None))
    return marks


def _actor(article: Article, a: EventActor | None) -> str:
    """"Wladimir Putin (RUS/GOV)" for hover texts."""
    if a is None:
        return "?"
    name = article.entities[a.entity].name if a.entity is not None else a.text
    code = "/".join(x for x in (a.country, a.sector) if x)
    return name + (f" ({code})" if code else "")


Mark = tuple[int, int, str, str, str | None]


def shared_marks(reuse: list[dict[str, Any]]) -> list[Mark]:
    """Passages shared with other stored articles (store.copies.reuse), for ``segments``."""
    return [(p["start"], p["end"], "shared", f"also in: {r['title'] or r['id']} ({r['source'] or 'unknown source'})",
             None) for r in reuse for p in r["passages"]]


def segments(article: Article, extra: list[Mark] | None = None) -> list[Segment]:
    marks = _marks(article) + (extra or [])
    cuts = sorted({0, len(article.text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        seg = Segment(article.text[a:b])
        for start, end, css, title, key in marks:
            if start <= a and b <= end:
                seg.classes.append(css)
                seg.titles.append(title)
                seg.entity = seg.entity or key
        out.append(seg)
    return out


def bar_chart(points: list[dict[str, Any]], *, width: int = 640, height: int = 180) -> dict[str, Any]:
    """Bars for the entity timeline, one per dated month, with a count axis: {bars: [{x, y, w, h, label, value}],
    ticks: [{y, value}], undated}. Undated mentions are a number beside the chart, not a bar."""
    dated = [p for p in points if p["month"] != "undated"]
    undated = sum(p["mentions"] for p in points if p["month"] == "undated")
    left, bottom, top_pad = 36, 22, 14
    if not dated:
        return {"width": width, "height": height, "bars": [], "ticks": [], "undated": undated, "left": left}
    top = max(p["mentions"] for p in dated) or 1
    plot_h = height - bottom - top_pad
    w = min((width - left) / len(dated), 48.0)
    bars = [{"x": left + i * w + 2, "w": max(w - 4, 1), "h": plot_h * p["mentions"] / top,
             "y": height - bottom - plot_h * p["mentions"] / top, "label": p["month"], "value": p["mentions"]}
            for i, p in enumerate(dated)]
    ticks = [{"y": height - bottom - plot_h * v / top, "value": v} for v in sorted({0, (top + 1) // 2, top})]
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "undated": undated, "left": left}


TYPE_COLOURS = {"AGREE": "#16a34a", "CONSULT": "#2563eb", "SUPPORT": "#65a30d", "CONCEDE": "#0d9488",
                "COOPERATE": "#0891b2", "AID": "#4f46e5", "RETREAT": "#a3a3a3", "REQUEST": "#ca8a04",
                "ACCUSE": "#ea580c", "REJECT": "#dc2626", "THREATEN": "#b91c1c", "PROTEST": "#c026d3",
                "SANCTION": "#9333ea", "MOBILIZE": "#78716c", "COERCE": "#7f1d1d", "ASSAULT": "#000000"}


def stacked_chart(months: list[dict[str, Any]], types: list[str], *, width: int = 640,
                  height: int = 200) -> dict[str, Any]:
    """Stacked bars of event counts by type per month, for the dyad page: {bars: [{x, w, label, total,
    parts: [{y, h, type, value, colour}]}], legend: [{type, colour}]}."""
    if not months:
        return {"width": width, "height": height, "bars": [], "legend": []}
    totals = [sum(m["counts"].values()) for m in months]
    top = max(totals) or 1
    plot_h = height - 40
    w = min(width / len(months), 48.0)
    bars = []
    for i, (m, total) in enumerate(zip(months, totals, strict=True)):
        y = height - 22.0
        parts = []
        for t in types:
            value = m["counts"].get(t, 0)
            if value:
                h = plot_h * value / top
                y -= h
                parts.append({"y": y, "h": h, "type": t, "value": value, "colour": TYPE_COLOURS.get(t, "#888")})
        bars.append({"x": i * w + 2, "w": max(w - 4, 1), "label": m["month"], "total": total, "parts": parts,
                     "top": y})
    return {"width": width, "height": height, "bars": bars,
            "legend": [{"type": t, "colour": TYPE_COLOURS.get(t, "#888")} for t in types]}


def _component_positions(graph: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold within each connected component, components packed in rows (largest first), so
    separate groups neither fly apart to the corners nor pile onto one another. Unit: one node's cell."""
    import networkx as nx

    from newsgraph.store.network import to_networkx

    g = to_networkx(graph).to_undirected()
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    row_width = max(4.0, 1.6 * math.sqrt(len(g)))  # in cells: a roughly square drawing
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp in components:
        side = math.sqrt(len(comp)) * 1.3
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        sub = g.subgraph(comp)
        raw = nx.spring_layout(sub, seed=7, weight="weight", iterations=200) if len(comp) > 1 else {min(comp): (0, 0)}
        xs, ys = [v[0] for v in raw.values()], [v[1] for v in raw.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
        inner = side - 1 if len(comp) > 1 else 0
        for node, (nx_, ny_) in raw.items():
            pos[node] = (x + 0.5 + (nx_ - min(xs)) / span_x * inner, y + 0.5 + (ny_ - min(ys)) / span_y * inner)
        x += side
        row_height = max(row_height, side)
    return pos


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _place_labels(nodes: list[dict[str, Any]], wanted: int, drawing_width: int) -> None:
    """Give at most ``wanted`` of the heaviest nodes a label (``label_x``, ``label_anchor``) to the right or the
    left of the circle, where its approximate box stays inside the drawing and overlaps no label placed before
    and no other node."""
    circles = {n["id"]: (n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"]) for n in nodes}
    placed: list[tuple[float, float, float, float]] = []
    for n in sorted(nodes, key=lambda n: -n["weight"]):
        n["label_x"] = None
        if len(placed) >= wanted:
            continue
        width = 6.6 * len(n["name"])  # about 12px type
        for anchor, left in (("start", n["x"] + n["r"] + 3), ("end", n["x"] - n["r"] - 3 - width)):
            box = (left, n["y"] - 9, left + width, n["y"] + 5)
            if box[0] >= 0 and box[2] <= drawing_width and not any(_overlaps(box, b) for b in placed) and \
                    not any(_overlaps(box, c) for k, c in circles.items() if k != n["id"]):
                placed.append(box)
                n["label_x"], n["label_anchor"] = (left if anchor == "start" else left + width), anchor
                break


def force_layout(graph: dict[str, Any], *, width: int = 900, labels: int = 12) -> dict[str, Any]:
    """The network page's drawing: a force-directed layout per connected component, scaled into the SVG; node
    size and edge width grow with weight, and at most ``labels`` of the heaviest nodes get a visible name,
    none overlapping (the rest show theirs on hover), so the page stays readable at corpus size."""
    nodes, edges = graph["nodes"], graph["edges"]
    if not nodes:
        return {"width": width, "height": 200, "nodes": [], "edges": []}
    raw = _component_positions(graph)
    span_x = max(v[0] for v in raw.values()) + 0.5
    span_y = max(v[1] for v in raw.values()) + 0.5
    margin = 30
    unit = (width - 2 * margin - 160) / span_x  # room for the labels of the outer nodes
    height = int(span_y * unit + 2 * margin)
    pos = {k: (round(margin + 80 + x * unit, 1), round(margin + y * unit, 1)) for k, (x, y) in raw.items()}
    top_node = max(n["weight"] for n in nodes)
    top_edge = max((e["weight"] for e in edges), default=1)
    drawn = [{**n, "x": pos[n["id"]][0], "y": pos[n["id"]][1], "r": round(4 + 12 * math.sqrt(n["weight"] / top_node), 1)}
             for n in nodes]
    _place_labels(drawn, labels, width)
    radius = {n["id"]: n["r"] for n in drawn}
    return {
        "width": width, "height": height, "nodes": drawn,
        "edges": [{**e, **_line(pos[e["source"]], pos[e["target"]], radius[e["target"]]),
                   "w": round(0.6 + 4 * e["weight"] / top_edge, 1)} for e in edges],
    }


def _line(a: tuple[float, float], b: tuple[float, float], r: float) -> dict[str, float]:
    """From ``a`` to the rim of the circle of radius ``r`` at ``b``, so the arrowhead shows."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    cut = min(r + 2, length / 2)
    return {"x1": a[0], "y1": a[1], "x2": round(b[0] - dx / length * cut, 1), "y2": round(b[1] - dy / length * cut, 1)}


QUOTE_OPEN = ("„", "»", "«", "\"", "‚", "“")
QUOTE_CLOSE = ("“", "«", "»", "\"", "‘", "”")


def message_text(statement: dict[str, Any]) -> str:
    """A statement's message as readers expect it: a verbatim (Direct) quote in quotation marks, added only when
    the message span does not carry its own; a paraphrase (indirect or reported speech) without them."""
    text = " … ".join(part["text"] for part in statement.get("message") or [])
    if statement.get("kind") == "Direct":
        if not text.startswith(QUOTE_OPEN):
            text = "„" + text
        if not text.endswith(QUOTE_CLOSE):
            text += "“"
        return text
    return text


STATEMENT_CSV_COLUMNS = ("published", "title", "article_id", "statement", "kind", "medium", "speaker_name",
                         "speaker_id", "speaker_text", "cue", "message", "confidence", "evidence")


def statements_as_csv(rows: list[dict[str, Any]]) -> str:
    """Listed statements (queries.list_statements) as CSV, safe to open in a spreadsheet."""
    import csv
    import io

    from newsgraph.store.export import spreadsheet_safe

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STATEMENT_CSV_COLUMNS)
    writer.writeheader()
    for r in rows:
        st, speaker = r["statement"], r.get("speaker") or {}
        row = {"published": r["published"], "title": r["title"], "article_id": r["article_id"],
               "statement": r["index"], "kind": st.get("kind"), "medium": st.get("medium"),
               "speaker_name": speaker.get("name"), "speaker_id": speaker.get("id"),
               "speaker_text": (st.get("speaker") or {}).get("text"), "cue": (st.get("cue") or {}).get("text"),
               "message": message_text(st), "confidence": st.get("confidence"), "evidence": r["evidence"]}
        writer.writerow({k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()
