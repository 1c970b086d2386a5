"""Counting helpers shared by the scorers: precision/recall/F1 from hit counts, and summing count records."""

from __future__ import annotations

import dataclasses
from typing import Self


def prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``hits`` among ``system`` predictions and ``gold`` items."""
    p = hits / system if system else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Summable:
    """A dataclass of counts that can add another of its kind, field by field."""

    def add(self, other: Self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
