"""Failure patterns seen on news outside the samples (issue 12), one gold case each in
tests/gold/statement-patterns-de.jsonl: what the fast tier must get right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph import analyze

GOLD = Path(__file__).resolve().parents[2] / "tests" / "gold" / "statement-patterns-de.jsonl"
CASES = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["pattern"] for c in CASES])
def test_failure_pattern(case: dict[str, Any]) -> None:
    article = analyze(case["text"])
    assert len(article.statements) == case["statements"], article.statements
    statement = next(st for st in article.statements
                     if "select" not in case or any(m.text == case["select"] for m in st.message))
    if "speaker" in case:
        assert statement.speaker is not None and statement.speaker.text == case["speaker"]
    if "entity" in case:
        assert statement.speaker is not None and statement.speaker.entity is not None
        assert article.entities[statement.speaker.entity].name == case["entity"]
    if "message" in case:
        assert [m.text for m in statement.message] == [case["message"]]
    if "cue" in case:
        assert statement.cue is not None and statement.cue.text == case["cue"]
    if "addressee" in case:
        assert statement.addressee is not None and statement.addressee.text == case["addressee"]
    if "medium" in case:
        assert statement.medium == case["medium"]
    if "entities" in case:
        assert [[e.name, e.label] for e in article.entities] == case["entities"]
        assert all(case["not_alias"] not in e.aliases for e in article.entities)
