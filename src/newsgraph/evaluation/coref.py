"""Pairwise precision and recall of within-article merging against the gold clusters in tests/gold/coref.json.

A gold pair is two gold mentions of one cluster. It is recovered when both spans are predicted mentions
(exact offsets) linked to the same entity. A predicted pair is two predicted mentions that both are gold
mentions and share an entity; it is correct when their gold clusters agree.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

from newsgraph.model import Article


def locate(text: str, surface: str, n: int) -> tuple[int, int]:
    hits = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text)]
    if n >= len(hits):
        raise ValueError(f"gold mention {surface!r} #{n} not in text ({len(hits)} occurrences)")
    return hits[n]


def load_gold(root: Path) -> list[tuple[str, dict[str, list[tuple[str, int]]]]]:
    """``(text, clusters)`` per gold document; sample-corpus documents are found by title."""
    gold = json.loads((root / "tests" / "gold" / "coref.json").read_text(encoding="utf-8"))
    out = []
    for doc in gold["documents"]:
        path, _, title = doc["source"].partition("#")
        if title:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
            text = next(json.loads(li)["text"] for li in lines if json.loads(li)["title"] == title)
        else:
            text = (root / path).read_text(encoding="utf-8")
        out.append((text, {k: [(s, n) for s, n in v] for k, v in doc["clusters"].items()}))
    return out


def pairwise(article: Article, clusters: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    gold_of: dict[tuple[int, int], str] = {}
    for name, mentions in clusters.items():
        for surface, n in mentions:
            gold_of[locate(article.text, surface, n)] = name
    pred_of = {(m.start, m.end): m.entity for m in article.mentions if m.entity is not None}
    gold_pairs = [(a, b) for a, b in combinations(sorted(gold_of), 2) if gold_of[a] == gold_of[b]]
    found = sum(1 for a, b in gold_pairs if a in pred_of and b in pred_of and pred_of[a] == pred_of[b])
    shared = [s for s in pred_of if s in gold_of]
    pred_pairs = [(a, b) for a, b in combinations(sorted(shared), 2) if pred_of[a] == pred_of[b]]
    correct = sum(1 for a, b in pred_pairs if gold_of[a] == gold_of[b])
    return {"gold_pairs": len(gold_pairs), "found": found, "pred_pairs": len(pred_pairs), "correct": correct}


def score(totals: dict[str, int]) -> dict[str, Any]:
    p = totals["correct"] / totals["pred_pairs"] if totals["pred_pairs"] else 0.0
    r = totals["found"] / totals["gold_pairs"] if totals["gold_pairs"] else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, **totals}
