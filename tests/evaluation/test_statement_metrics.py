"""The pinned statement metrics on hand-made cases."""

from __future__ import annotations

import pytest

from newsgraph.evaluation.statements import Tally, Unit, greedy_pairs, mean_role_f1, token_f1


def u(cue: set[int], speaker: set[int], message: set[int], addressee: set[int] = frozenset(),  # type: ignore[assignment]
      kind: str = "Indirect") -> Unit:
    return Unit(frozenset(cue), frozenset(speaker), frozenset(message), frozenset(addressee), kind)


@pytest.mark.parametrize(("gold", "pred", "f1"), [
    ({1, 2}, {1, 2}, 1.0), ({1, 2}, {2, 3}, 0.5), ({1}, set(), 0.0), (set(), set(), 1.0), (set(), {4}, 0.0)])
def test_token_f1(gold: set[int], pred: set[int], f1: float) -> None:
    assert token_f1(frozenset(gold), frozenset(pred)) == pytest.approx(f1)


def test_mean_role_f1_skips_roles_empty_on_both_sides() -> None:
    assert mean_role_f1(u({1}, {2}, {3, 4}), u({1}, {2}, {3, 4})) == 1.0
    assert mean_role_f1(u({1}, {2}, {3, 4}), u({1}, set(), {3, 4})) == pytest.approx(0.5)
    assert mean_role_f1(u({1}, {2}, {3, 4}, {9}), u({1}, {2}, {3, 4})) == pytest.approx(2 / 3)


def test_greedy_pairs_are_one_to_one_by_overlap() -> None:
    gold = [frozenset({1, 2}), frozenset({5})]
    pred = [frozenset({2}), frozenset({1, 2}), frozenset({7})]
    assert sorted(greedy_pairs(gold, pred)) == [(0, 1)]


def test_perfect_prediction_scores_one_and_nested_annotations_share_a_cue() -> None:
    gold = [u({1}, {0}, {3, 4, 5}), u({1}, {0}, {4}, kind="Direct"), u(set(), {0}, {8, 9}, kind="FreeIndirect")]
    pred = [u({1}, {0}, {3, 4, 5}), u(set(), {0}, {8, 9}, kind="FreeIndirect")]
    tally = Tally()
    tally.add(gold, pred)
    r = tally.report()
    assert (r["cue_p"], r["cue_r"], r["cue_exact_f1"], r["joint_f1"]) == (1.0, 1.0, 1.0, 1.0)
    assert r["quote_p"] == 1.0 and r["quote_r"] == pytest.approx(2 / 3)


def test_no_prediction_scores_zero_not_an_error() -> None:
    tally = Tally()
    tally.add([u({1}, {0}, {3})], [])
    r = tally.report()
    assert r["cue_f1"] == 0.0 and r["joint_f1"] == 0.0 and r["quote_f1"] == 0.0


def test_wrong_speaker_halves_joint() -> None:
    tally = Tally()
    tally.add([u({1}, {0}, {3})], [u({1}, {7}, {3})])
    assert tally.report()["joint_f1"] == pytest.approx(0.5)
