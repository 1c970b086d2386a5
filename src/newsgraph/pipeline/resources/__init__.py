"""Word lists shipped with the package, per language (``resources/de/...``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent


@cache
def word_list(lang: str, name: str) -> tuple[str, ...]:
    """Non-comment, non-empty lines of ``resources/<lang>/<name>``."""
    lines = (RESOURCES / lang / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def word_table(lang: str, name: str) -> dict[str, tuple[str, ...]]:
    """Tab-separated ``key<TAB>space separated values`` lines."""
    table: dict[str, tuple[str, ...]] = {}
    for line in word_list(lang, name):
        key, _, values = line.partition("\t")
        table[key.strip().lower()] = tuple(values.split())
    return table
