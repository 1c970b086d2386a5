"""Event extraction scores against the German PLOVER gold (``tests/gold/events-de.jsonl``).

Events are matched one to one by overlapping triggers. Type F1 (and type+mode F1) counts matched events of
the same type (and mode) over system and gold counts; source, target and modality accuracy are over matched
events (an absent actor matches an absent actor; a present one needs overlapping spans); the statement share
counts matched events whose statement link agrees with the gold (a reported event must link to a statement
whose speaker overlaps the gold's ``reported_by``; an unreported one must link to none).

Harm counts system events that name a source who did not do what the event says: matched events whose
source is not the gold's (a victim, a critic, a reporter, the wrong country, or anyone where the gold names no
source), matched events with the right source but another type (a verbal attack read as ASSAULT), and system
events with a source where the gold has no event at all. The last part is an upper bound: the gold's trigger
layer is itself only about 0.83 F1 reproducible (docs/stages/events.md), so some of those are real events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.evaluation.counts import Summable, prf
from newsgraph.model import Article, Event


@dataclass(frozen=True)
class GoldEvent:
    trigger: tuple[int, int]
    type: str
    mode: str | None
    source: tuple[int, int] | None
    target: tuple[int, int] | None
    modality: str
    reported_by: tuple[int, int] | None


@dataclass
class GoldSentence:
    doc: str
    split: str
    text: str
    events: list[GoldEvent] = field(default_factory=list)


def _span(text: str, part: str | None) -> tuple[int, int] | None:
    if part is None:
        return None
    start = text.find(part)
    if start < 0:
        raise ValueError(f"{part!r} is not in {text!r}")
    return start, start + len(part)


def read_gold(path: Path, splits: Iterable[str] | None = None) -> list[GoldSentence]:
    wanted = set(splits) if splits is not None else None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row: dict[str, Any] = json.loads(line)
        if wanted is not None and row["split"] not in wanted:
            continue
        text = row["text"]
        out.append(GoldSentence(row["doc"], row["split"], text, [
            GoldEvent(_span(text, e["trigger"]) or (0, 0), e["type"], e["mode"], _span(text, e["source"]),
                      _span(text, e["target"]), e["modality"], _span(text, e.get("reported_by")))
            for e in row["events"]]))
    return out


@dataclass
class EventScores(Summable):
    gold: int = 0
    system: int = 0
    matched: int = 0
    type: int = 0
    type_mode: int = 0
    source: int = 0
    target: int = 0
    modality: int = 0
    statement: int = 0
    full: int = 0  # matched with type, source and target right
    sourced: int = 0  # system events with a source
    harm_wrong_source: int = 0  # matched, with a source the gold does not name (or names none)
    harm_wrong_type: int = 0  # matched, source right, but the act is another type
    harm_spurious: int = 0  # no gold event there, yet an actor is named as doing something

    def f1(self, hits: int) -> float:
        return prf(hits, self.system, self.gold)[2]

    def trigger_prf(self) -> tuple[float, float, float]:
        return prf(self.matched, self.system, self.gold)

    def accuracy(self, hits: int) -> float:
        return hits / self.matched if self.matched else 0.0

    @property
    def harmful(self) -> int:
        return self.harm_wrong_source + self.harm_wrong_type + self.harm_spurious

    def harm_share(self) -> float:
        """Predicted events whose source is an actor that did not do it, over all predicted events."""
        return self.harmful / self.system if self.system else 0.0


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _actor(e: Event, role: str) -> tuple[int, int] | None:
    actor = e.source if role == "source" else e.target
    return (actor.start, actor.end) if actor is not None else None


# A statement whose speaker is unresolved: an empty span, which overlaps no gold speaker but is not "unreported".
_UNRESOLVED_SPEAKER = (0, 0)


def as_annotation(e: Event, article: Article) -> GoldEvent:
    """A system event in the gold's terms, so system and second annotator are scored by one matcher."""
    reported_by = None
    if e.statement is not None:
        speaker = article.statements[e.statement].speaker
        reported_by = (speaker.start, speaker.end) if speaker is not None else _UNRESOLVED_SPEAKER
    return GoldEvent((e.trigger.start, e.trigger.end), e.type, e.mode, _actor(e, "source"), _actor(e, "target"),
                     e.modality, reported_by)


def compare(gold: Sequence[GoldEvent], other: Sequence[GoldEvent],
            pairs: list[tuple[str, str]] | None = None) -> EventScores:
    """Match ``other`` to ``gold`` one to one by overlapping triggers and count what agrees.

    ``pairs`` collects the (gold, other) types of matched events, for chance-corrected agreement.
    """
    out = EventScores(gold=len(gold), system=len(other))
    used: set[int] = set()
    for g in gold:
        k = next((i for i, e in enumerate(other) if i not in used and _overlaps(g.trigger, e.trigger)), None)
        if k is None:
            continue
        used.add(k)
        e = other[k]
        out.matched += 1
        out.type += e.type == g.type
        out.type_mode += e.type == g.type and e.mode == g.mode
        out.source += _overlaps(g.source, e.source)
        out.target += _overlaps(g.target, e.target)
        out.modality += e.modality == g.modality
        out.statement += _overlaps(g.reported_by, e.reported_by)
        out.full += e.type == g.type and _overlaps(g.source, e.source) and _overlaps(g.target, e.target)
        if e.source is not None:
            if not _overlaps(g.source, e.source):
                out.harm_wrong_source += 1
            elif e.type != g.type:
                out.harm_wrong_type += 1
        if pairs is not None:
            pairs.append((g.type, e.type))
    out.sourced = sum(e.source is not None for e in other)
    out.harm_spurious = sum(e.source is not None for k, e in enumerate(other) if k not in used)
    return out


def score_sentence(gold: GoldSentence, article: Article) -> EventScores:
    return compare(gold.events, [as_annotation(e, article) for e in article.events])


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two labelings of the same items."""
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    labels = {label for pair in pairs for label in pair}
    expected = sum((sum(a == c for a, _ in pairs) / n) * (sum(b == c for _, b in pairs) / n) for c in labels)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def evaluate(sentences: Sequence[GoldSentence], analyse: Callable[[str], Article]) -> EventScores:
    total = EventScores()
    for s in sentences:
        total.add(score_sentence(s, analyse(s.text)))
    return total
