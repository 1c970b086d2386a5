"""Exports: JSONL (the Article contract, one per line), PLOVER-style event records, and the layer tables
(store/tables.py) as CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from newsgraph.errors import MissingExtra
from newsgraph.model import Article, EventActor
from newsgraph.store.corpus import Corpus
from newsgraph.store.manifest import check_replaceable, partial_folder, replace_folder, write_manifest
from newsgraph.store.tables import LAYERS, TABLES, Progress, articles_with_progress, table_rows

EXPORT_FORMATS = ("jsonl", "csv", "events-jsonl", "events-csv", "parquet")


def export_jsonl(corpus: Corpus, out: TextIO, progress: Progress | None = None) -> int:
    n = 0
    for article in articles_with_progress(corpus, progress):
        out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str | None) -> str | None:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice: a leading apostrophe)."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_table_csv(corpus: Corpus, layer: str, out: TextIO, progress: Progress | None = None) -> int:
    """One layer's table (store/tables.py) as CSV; text cells that a spreadsheet would read as a formula start
    with an apostrophe."""
    writer = csv.DictWriter(out, fieldnames=[name for name, _ in TABLES[layer]])
    writer.writeheader()
    n = 0
    for row in table_rows(corpus, layer, progress):
        writer.writerow({k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()})
        n += 1
    return n


def export_csv(corpus: Corpus, out: TextIO, progress: Progress | None = None) -> int:
    """One row per article (the ``articles`` table)."""
    return export_table_csv(corpus, "articles", out, progress)


PARQUET_BATCH = 10_000  # rows per row group: memory stays flat however large the corpus


def export_parquet(corpus: Corpus, out_dir: Path, layers: Sequence[str] = LAYERS,
                   progress: Progress | None = None) -> dict[str, int]:
    """One Parquet file per table in ``out_dir`` (``<table>.parquet``) and the manifest, written last; returns the
    rows written per table. The tables are written to a folder beside ``out_dir`` that replaces it when complete:
    a killed export leaves the earlier export whole."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtra("pyarrow", "tables", needed_for="Parquet export") from exc
    check_replaceable(out_dir)  # before any work
    partial = partial_folder(out_dir)
    counts = _write_tables(corpus, partial, layers, progress)
    write_manifest(partial, lambda p: int(pq.ParquetFile(p).metadata.num_rows))
    replace_folder(partial, out_dir)
    return counts


def _write_tables(corpus: Corpus, out_dir: Path, layers: Sequence[str], progress: Progress | None) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for layer in layers:
        types = {"int64": pa.int64(), "double": pa.float64(), "string": pa.string()}
        schema = pa.schema([(name, types[kind]) for name, kind in TABLES[layer]])
        counts[layer] = 0
        with pq.ParquetWriter(out_dir / f"{layer}.parquet", schema) as writer:
            batch: list[dict[str, Any]] = []
            for row in table_rows(corpus, layer, progress):
                batch.append(row)
                if len(batch) >= PARQUET_BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    counts[layer] += len(batch)
                    batch = []
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))  # an empty table still gets its schema
            counts[layer] += len(batch)
    return counts


def _actor(article: Article, a: EventActor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    entity = article.entities[a.entity] if a.entity is not None else None
    return {"text": a.text, "entity": entity.id if entity else None, "name": entity.name if entity else a.text,
            "country": a.country, "sector": a.sector}


def plover_records(corpus: Corpus, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
    """Every event as a PLOVER/POLECAT-style record (field names in docs/stages/events.md)."""
    for article in articles_with_progress(corpus, progress):
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
                "modality": ev.modality, "confidence": ev.confidence, "trigger": ev.trigger.text,
                "text": article.text[sentence.start:sentence.end] if sentence else None,
                "statement": None if statement is None else {
                    "index": ev.statement, "kind": statement.kind,
                    "speaker": article.entities[speaker.entity].name if speaker and speaker.entity is not None
                    else speaker.text if speaker else None},
                "published": article.published, "url": article.url,
            }


EVENT_CSV_COLUMNS = ("id", "article_id", "event_type", "mode", "context", "source_name", "source_country",
                     "source_sector", "target_name", "target_country", "target_sector", "date", "location",
                     "modality", "confidence", "trigger", "statement_speaker", "text")


def export_events_jsonl(corpus: Corpus, out: TextIO, progress: Progress | None = None) -> int:
    n = 0
    for record in plover_records(corpus, progress):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_events_csv(corpus: Corpus, out: TextIO, progress: Progress | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for r in plover_records(corpus, progress):
        row: dict[str, Any] = {k: r[k] for k in ("id", "article_id", "event_type", "mode", "context", "date",
                                                  "location", "modality", "confidence", "trigger")}
        for role in ("source", "target"):
            actor = r[role] or {}
            row.update({f"{role}_name": actor.get("name"), f"{role}_country": actor.get("country"),
                        f"{role}_sector": actor.get("sector")})
        row["statement_speaker"] = (r["statement"] or {}).get("speaker")
        row["text"] = r["text"]
        writer.writerow({k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()})
        n += 1
    return n


def export(corpus: Corpus, fmt: str, out: TextIO, progress: Progress | None = None) -> int:
    """Write the corpus in ``fmt`` (a stream format of EXPORT_FORMATS); returns the number of records."""
    return {"jsonl": export_jsonl, "csv": export_csv, "events-jsonl": export_events_jsonl,
            "events-csv": export_events_csv}[fmt](corpus, out, progress)
