"""Exports: JSONL (the Article contract, one per line) and CSV (one row per article)."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from newsgraph.store.corpus import Corpus

EXPORT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("id", "title", "url", "published", "source", "language", "sentences", "tokens", "mentions",
               "entities", "statements", "events", "times", "time_values", "text")


def export_jsonl(corpus: Corpus, out: TextIO) -> int:
    n = 0
    for article in corpus.iter_articles():
        out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str | None) -> str | None:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice: a leading apostrophe)."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(corpus: Corpus, out: TextIO) -> int:
    """One row per article; text cells that a spreadsheet would read as a formula start with an apostrophe."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for article in corpus.iter_articles():
        row: dict[str, str | int | None] = {
            k: spreadsheet_safe(getattr(article, k)) for k in ("id", "title", "url", "published", "source",
                                                              "language", "text")}
        row.update({layer: len(getattr(article, layer)) for layer in CSV_COLUMNS[6:13]})
        # "Mittwoch=2025-02-12 | bald=FUTURE_REF": every time expression with its value, in text order
        row["time_values"] = spreadsheet_safe(" | ".join(f"{t.text}={t.value or '?'}" for t in article.times))
        writer.writerow(row)
        n += 1
    return n


def export(corpus: Corpus, fmt: str, out: TextIO) -> int:
    return {"jsonl": export_jsonl, "csv": export_csv}[fmt](corpus, out)
