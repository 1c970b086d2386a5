"""Temporal tagging gold (TimeML TIMEX3, ACE TIMEX2) and TempEval-3 style scores.

Extents are matched one to one, strictly (same offsets) or relaxed (overlapping). Value F1 counts relaxed
matches whose values agree, over system and gold counts; type accuracy is over relaxed matches. Values are
compared after writing clock times one way (``T8.30`` and ``T08:30`` are the same time; the gold uses both).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.evaluation.counts import Summable, prf

TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')
CLOCK = re.compile(r"T(\d{1,2})[.:](\d{2})")


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    kind: str | None
    value: str | None


@dataclass
class GoldDoc:
    name: str
    text: str
    creation: str | None  # document creation time, ISO
    timexes: list[GoldTimex] = field(default_factory=list)


def read_inline(name: str, markup: str, tag: str, creation: str | None) -> GoldDoc:
    """Text and outermost ``tag`` spans from inline XML; entities are unescaped, offsets point into the text."""
    pieces: list[str] = []
    length = 0
    stack: list[tuple[int, dict[str, str]]] = []
    doc = GoldDoc(name, "", creation)
    pos = 0
    for m in TAG.finditer(markup):
        chunk = html.unescape(markup[pos:m.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != tag:
            continue
        if m.group(1):
            start, attrs = stack.pop()
            if not stack:
                doc.timexes.append(GoldTimex(start, length, attrs.get("type"), attrs.get("value", attrs.get("val"))))
        else:
            stack.append((length, dict(ATTR.findall(m.group(3)))))
    pieces.append(html.unescape(markup[pos:]))
    doc.text = "".join(pieces)
    return doc


def read_krauts(folder: Path) -> list[GoldDoc]:
    """KRAUTS ``tml/*.tml``: the DCT and the TEXT with inline TIMEX3."""
    docs = []
    for path in sorted(folder.glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
        body = raw.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
        docs.append(read_inline(path.stem, body, "TIMEX3", dct.group(1) if dct else None))
    return docs


def read_wikiwars(folder: Path) -> list[GoldDoc]:
    """WikiWarsDE ``keyinline/*.key.xml``: the TEXT with inline TIMEX2 (its DATETIME is the download date)."""
    docs = []
    for path in sorted(folder.glob("*.key.xml")):
        raw = path.read_text(encoding="utf-8")
        body = raw.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
        docs.append(read_inline(path.stem, body, "TIMEX2", None))
    return docs


def read_legal(folder: Path, limit: int | None = None) -> list[GoldDoc]:
    """legal-timex ``*_timex.txt``: one sentence per line with inline TIMEX3, no creation date; one doc per court."""
    docs = []
    for path in sorted(folder.glob("*_timex.txt")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln and not ln.startswith(("<?xml", "<!DOCTYPE", "<TimeML", "</TimeML"))]
        docs.append(read_inline(path.stem, "\n".join(lines[:limit]), "TIMEX3", None))
    return docs


def normalise_value(value: str | None) -> str | None:
    if value is None:
        return None
    return CLOCK.sub(lambda m: f"T{int(m.group(1)):02d}:{m.group(2)}", value.strip().upper())


@dataclass
class TimexScores(Summable):
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    kind: int = 0

    def strict_prf(self) -> tuple[float, float, float]:
        return prf(self.strict, self.system, self.gold)

    def relaxed_prf(self) -> tuple[float, float, float]:
        return prf(self.relaxed, self.system, self.gold)

    def value_f1(self) -> float:
        return prf(self.value, self.system, self.gold)[2]

    def type_accuracy(self) -> float:
        return self.kind / self.relaxed if self.relaxed else 0.0


@dataclass(frozen=True)
class SystemTimex:
    start: int
    end: int
    kind: str | None
    value: str | None


def score_doc(gold: Sequence[GoldTimex], system: Iterable[SystemTimex]) -> TimexScores:
    sys_list = list(system)
    out = TimexScores(gold=len(gold), system=len(sys_list))
    out.strict = len({(g.start, g.end) for g in gold} & {(s.start, s.end) for s in sys_list})
    used: set[int] = set()
    for g in gold:
        match = next((i for i, s in enumerate(sys_list)
                      if i not in used and s.start < g.end and g.start < s.end), None)
        if match is None:
            continue
        used.add(match)
        s = sys_list[match]
        out.relaxed += 1
        out.kind += int(s.kind == g.kind)
        out.value += int(normalise_value(s.value) == normalise_value(g.value) and g.value is not None)
    return out


def evaluate(docs: Sequence[GoldDoc], analyse: Callable[[GoldDoc], Sequence[SystemTimex]]) -> TimexScores:
    """Summed scores of ``analyse`` over ``docs``."""
    total = TimexScores()
    for doc in docs:
        total.add(score_doc(doc.timexes, analyse(doc)))
    return total
