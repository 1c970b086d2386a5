"""The German time lexicon (``resources/de/time_*.txt``) as lookup tables and regex alternations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from newsgraph.pipeline.resources import word_table


def alternation(words: Iterable[str]) -> str:
    """A non-capturing regex alternation of ``words``, longest first (so "Montagabend" beats "Montag")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def capitalised(word: str) -> str:
    """The noun spelling: every word capitalised except the article ("Tag der Deutschen Einheit")."""
    return " ".join(w if w in ("der", "des") else w[:1].upper() + w[1:] for w in word.split())


def any_case(words: Iterable[str]) -> list[str]:
    """Each word as written and with a capital (it may start a sentence)."""
    return [f for w in words for f in (w, w[:1].upper() + w[1:])]


@cache
def table(name: str) -> dict[str, str]:
    """``time_<name>.txt`` as word -> first value."""
    return {k: " ".join(v) for k, v in word_table("de", f"time_{name}.txt").items()}


def months() -> dict[str, int]:
    return {k: int(v) for k, v in table("months").items()}


def weekdays() -> dict[str, int]:
    return {k: int(v) for k, v in table("weekdays").items()}


def numerals() -> dict[str, str]:
    return table("numerals")


def number(word: str) -> str:
    """The number a numeral stands for ("drei" -> "3", "1,5" -> "1.5", "einige" -> "X")."""
    lower = word.lower()
    if lower in numerals():
        return numerals()[lower]
    return word.replace(",", ".")
