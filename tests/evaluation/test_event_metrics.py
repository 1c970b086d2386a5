"""The event scorer and the agreement of the two gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.evaluation.events import GoldEvent, cohen_kappa, compare, read_gold

GOLD = Path(__file__).resolve().parents[1] / "gold"


def _event(trigger: tuple[int, int], type_: str, source: tuple[int, int] | None = None) -> GoldEvent:
    return GoldEvent(trigger, type_, None, source, None, "happened", None)


def test_compare_matches_overlapping_triggers_one_to_one() -> None:
    gold = [_event((0, 5), "AGREE", (10, 12)), _event((20, 25), "REJECT")]
    other = [_event((2, 4), "AGREE", (11, 13)), _event((3, 6), "REJECT"), _event((40, 45), "ASSAULT")]
    scores = compare(gold, other)
    assert (scores.gold, scores.system, scores.matched) == (2, 3, 1)
    assert (scores.type, scores.source, scores.target) == (1, 1, 1)


def test_compare_counts_a_missing_actor_against_a_present_one() -> None:
    scores = compare([_event((0, 5), "AGREE", (10, 12))], [_event((0, 5), "AGREE", None)])
    assert scores.matched == 1 and scores.source == 0


def test_cohen_kappa() -> None:
    assert cohen_kappa([("A", "A"), ("B", "B")]) == pytest.approx(1.0)
    # agreement no better than chance
    assert cohen_kappa([("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")]) == pytest.approx(0.0)
    assert cohen_kappa([("A", "B"), ("B", "A")]) < 0
    assert cohen_kappa([]) == 0.0


def test_second_annotation_covers_fifty_events_of_the_gold() -> None:
    first = {(s.doc, s.text) for s in read_gold(GOLD / "events-de.jsonl")}
    second = read_gold(GOLD / "events-de-second.jsonl")  # raises if a span is not in its sentence
    assert all((s.doc, s.text) in first for s in second)
    gold_rows = {(r["doc"], r["text"]): r for r in map(json.loads, (GOLD / "events-de.jsonl").open(encoding="utf-8"))}
    assert sum(len(gold_rows[(s.doc, s.text)]["events"]) for s in second) >= 50
