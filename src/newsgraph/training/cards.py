"""Model cards: what a model was trained on, under which licence, how well and how fast it works."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any


def write_card(folder: Path, card: dict[str, Any]) -> None:
    """``card.json`` (machine-readable) and ``CARD.md`` (for people) in ``folder``."""
    card = {**card, "machine": f"{platform.machine()}, {platform.python_version()}"}
    (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [f"# {card['name']}", "", card.get("description", ""), ""]
    for key in ("licence", "non_commercial", "training_data", "reproduce", "training_seconds", "size_mb",
                "machine"):
        if key in card:
            lines.append(f"- **{key.replace('_', ' ')}**: {card[key]}")
    for key in ("scores", "speed", "ablations"):
        if key in card:
            lines += ["", f"## {key}", "", "```", json.dumps(card[key], indent=2, ensure_ascii=False), "```"]
    (folder / "CARD.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def folder_size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)
