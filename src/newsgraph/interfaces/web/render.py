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
                f" ({ev.modality}{', reported' if ev.statement is not None else ''})")
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


def segments(article: Article) -> list[Segment]:
    marks = _marks(article)
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


def circle_layout(graph: dict[str, Any], *, size: int = 560) -> dict[str, Any]:
    """Nodes on a circle, edges as lines, for the network page."""
    nodes = graph["nodes"]
    r = size / 2 - 80
    pos = {n["id"]: (size / 2 + r * math.cos(2 * math.pi * i / max(len(nodes), 1)),
                     size / 2 + r * math.sin(2 * math.pi * i / max(len(nodes), 1))) for i, n in enumerate(nodes)}
    edges = [{**e, "x1": pos[e["source"]][0], "y1": pos[e["source"]][1], "x2": pos[e["target"]][0],
              "y2": pos[e["target"]][1]} for e in graph["edges"]]
    return {"size": size, "nodes": [{**n, "x": pos[n["id"]][0], "y": pos[n["id"]][1]} for n in nodes],
            "edges": edges}


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
