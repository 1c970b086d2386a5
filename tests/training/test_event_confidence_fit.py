"""The event confidence fit: how events are labelled and how the threshold is chosen."""

from __future__ import annotations

import numpy as np

from newsgraph.evaluation.events import GoldEvent, GoldSentence
from newsgraph.model import Article, Event, EventActor, TextSpan
from newsgraph.training.event_confidence import Examples, _labels, choose_threshold

TEXT = "Putin verurteilte den Anschlag."


def event(kind: str, trigger: tuple[int, int], source: tuple[int, int] | None) -> Event:
    actor = EventActor(source[0], source[1], TEXT[source[0]:source[1]]) if source else None
    return Event(type=kind, trigger=TextSpan(trigger[0], trigger[1], TEXT[trigger[0]:trigger[1]]), source=actor)


def test_labels_right_harmful_and_right_without_source() -> None:
    gold = GoldSentence("d", "train", TEXT, [
        GoldEvent((6, 17), "ACCUSE", "disapprove", (0, 5), None, "happened", None),
        GoldEvent((22, 30), "ASSAULT", None, None, None, "happened", None)])
    article = Article(TEXT)
    events = [event("ACCUSE", (6, 17), (0, 5)),  # right
              event("ASSAULT", (22, 30), (0, 5)),  # the critic as attacker: harmful, right without its source
              event("ASSAULT", (0, 5), (0, 5))]  # no gold event there: harmful
    assert _labels(gold, article, events) == [(1, 0, 0), (0, 1, 1), (0, 1, 0)]


def test_threshold_weighs_harmful_sources_kept_against_right_ones_lost() -> None:
    p = np.asarray([0.9, 0.8, 0.3, 0.2])
    labels = np.asarray([1, 1, 0, 0])
    ex = Examples(np.zeros((4, 1)), np.zeros((4, 1)), labels, np.ones(4, bool),
                  np.asarray([False, False, True, True]), np.zeros(4, bool))
    threshold, at = choose_threshold(p, ex)
    assert 0.3 < threshold <= 0.8  # drops both harmful sources, keeps both right ones
    assert at["harmful_kept"] == 0 and at["right_lost"] == 0
