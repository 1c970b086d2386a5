"""``newsgraph load DIR``: merge Parquet tables (from ``newsgraph spark run`` or ``export --format parquet``)
into the SQLite store, streamed, in the order the articles were read, idempotent by content id."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.errors import MissingExtra, NotFound
from newsgraph.model import Article, Failure
from newsgraph.store import Corpus
from newsgraph.store.manifest import check_manifest

BATCH = 256  # articles per transaction


@dataclass
class LoadSummary:
    added: int = 0
    duplicates: int = 0
    failures: int = 0


def _parquet_files(folder: Path) -> list[Path]:
    """The Parquet files of one table: a file ``<table>.parquet`` or a folder of part files (Spark's), in name
    order, which is the rows' order."""
    if folder.with_suffix(".parquet").is_file():
        return [folder.with_suffix(".parquet")]
    return sorted(folder.rglob("*.parquet")) if folder.is_dir() else []


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtra("pyarrow", "tables", needed_for="newsgraph load") from exc
    return pq


def _rows(files: list[Path], columns: list[str]) -> Iterator[dict[str, object]]:
    pq = _parquet()
    for path in files:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH, columns=columns):
                yield from batch.to_pylist()


def count_documents(folder: Path) -> int:
    pq = _parquet()
    return sum(pq.ParquetFile(p).metadata.num_rows for p in _parquet_files(folder / "documents"))


def load(folder: Path, corpus: Corpus, progress: Callable[[int], None] | None = None) -> LoadSummary:
    """Add the articles of ``folder/documents`` (whole Article JSON) and record ``folder/failures``."""
    documents = _parquet_files(folder / "documents")
    if documents:
        check_manifest(folder)  # a killed export or Spark run leaves no manifest, or files that differ from it
    if not documents:
        raise NotFound(f"no documents table under {folder}",
                       hint="point at the --output folder of newsgraph spark run, or an export --format parquet folder")
    summary = LoadSummary()
    batch: list[Article] = []

    def flush() -> None:
        result = corpus.add(batch)
        summary.added += result.added
        summary.duplicates += result.duplicates
        summary.failures += corpus.record_failures(result.failures)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for row in _rows(documents, ["json"]):
        batch.append(Article.from_dict(json.loads(str(row["json"]))))
        if len(batch) >= BATCH:
            flush()
    flush()
    failures = [Failure(input=str(r["input"]), code=str(r["code"]), reason=str(r["reason"]), hint=str(r["hint"]),
                        stage=str(r["stage"]))
                for r in _rows(_parquet_files(folder / "failures"), ["input", "code", "reason", "hint", "stage"])]
    summary.failures += corpus.record_failures(failures, again=False)
    return summary
