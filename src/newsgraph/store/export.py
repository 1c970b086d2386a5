"""Exports: JSONL (the Article contract, one per line) and CSV (one row per article)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from newsgraph.model import Article, EventActor
from newsgraph.store.corpus import Corpus

EXPORT_FORMATS = ("jsonl", "csv", "events-jsonl", "events-csv")
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


def _actor(article: Article, a: EventActor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    entity = article.entities[a.entity] if a.entity is not None else None
    return {"text": a.text, "entity": entity.id if entity else None, "name": entity.name if entity else a.text,
            "country": a.country, "sector": a.sector}


def plover_records(corpus: Corpus) -> Iterator[dict[str, Any]]:
    """Every event as a PLOVER/POLECAT-style record (field names in docs/stages/events.md)."""
    for article in corpus.iter_articles():
        for i, ev in enumerate(article.events):
            sentence = article.sentences[ev.sentence] if ev.sentence is not None else None
            statement = article.statements[ev.statement] if ev.statement is not None else None
            speaker = statement.speaker if statement is not None else None
            yield {
                "id": f"{article.id}-{i}", "article_id": article.id, "event_type": ev.type, "mode": ev.mode,
                "context": ev.context, "source": _actor(article, ev.source), "target": _actor(article, ev.target),
                "date": ev.date,
                "date_from": ev.date_from,
                "location": article.entities[ev.place].name if ev.place is not None else None,
                "modality": ev.modality, "trigger": ev.trigger.text,
                "text": article.text[sentence.start:sentence.end] if sentence else None,
                "statement": None if statement is None else {
                    "index": ev.statement, "kind": statement.kind,
                    "speaker": article.entities[speaker.entity].name if speaker and speaker.entity is not None
                    else speaker.text if speaker else None},
                "published": article.published, "url": article.url,
            }


EVENT_CSV_COLUMNS = ("id", "article_id", "event_type", "mode", "context", "source_name", "source_country",
                     "source_sector", "target_name", "target_country", "target_sector", "date", "location",
                     "modality", "trigger", "statement_speaker", "text")


def export_events_jsonl(corpus: Corpus, out: TextIO) -> int:
    n = 0
    for record in plover_records(corpus):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_events_csv(corpus: Corpus, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for r in plover_records(corpus):
        row: dict[str, Any] = {k: r[k] for k in ("id", "article_id", "event_type", "mode", "context", "date",
                                                  "location", "modality", "trigger")}
        for role in ("source", "target"):
            actor = r[role] or {}
            row.update({f"{role}_name": actor.get("name"), f"{role}_country": actor.get("country"),
                        f"{role}_sector": actor.get("sector")})
        row["statement_speaker"] = (r["statement"] or {}).get("speaker")
        row["text"] = r["text"]
        writer.writerow({k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()})
        n += 1
    return n


def export(corpus: Corpus, fmt: str, out: TextIO) -> int:
    """Write the corpus in ``fmt`` (one of EXPORT_FORMATS); returns the number of records."""
    return {"jsonl": export_jsonl, "csv": export_csv, "events-jsonl": export_events_jsonl,
            "events-csv": export_events_csv}[fmt](corpus, out)
