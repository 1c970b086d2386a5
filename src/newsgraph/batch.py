"""Batch jobs: ingest → pipeline → store, with failures recorded and the rest going on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.ingest import read_inputs
from newsgraph.ingest.limits import read_limits
from newsgraph.ingest.sources import display_path
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream
from newsgraph.settings import load_settings
from newsgraph.store import Corpus


@dataclass
class IngestSummary:
    added: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # of the articles added
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # documentation files left out of folders (README, LICENSE)

    @property
    def ok(self) -> bool:
        return not self.failures


def _new_only(items: Iterable[Article | Failure], corpus: Corpus, summary: IngestSummary,
              progress: Callable[[int], None] | None, *, reanalyze: bool = False) -> Iterator[Article | Failure]:
    """Skip articles seen earlier in this run, and those already stored unless ``reanalyze``, before paying for
    analysis."""
    seen: set[str] = set()
    for item in items:
        if progress:
            progress(1)
        if isinstance(item, Article):
            if item.id in seen or (not reanalyze and corpus.has(item.id)):
                summary.duplicates += 1
                continue
            seen.add(item.id)
        yield item


def ingest(inputs: Iterable[str], corpus: Corpus, *, pipeline: Pipeline | None = None,
           settings: dict[str, Any] | None = None, fmt: str | None = None,
           progress: Callable[[int], None] | None = None, reanalyze: bool = False) -> IngestSummary:
    """Read, analyse and store every input (files, folders, globs); with ``reanalyze``, articles already
    stored are analysed again and replaced (curated entity merges and splits still apply)."""
    cfg = settings or load_settings()
    skipped: list[Path] = []
    items = read_inputs(inputs, fmt=fmt, skipped=skipped, **read_limits(cfg))
    summary = ingest_items(items, corpus, pipeline=pipeline, settings=cfg, progress=progress, reanalyze=reanalyze)
    summary.skipped = [display_path(p) for p in skipped]
    return summary


def ingest_items(items: Iterable[Article | Failure], corpus: Corpus, *, pipeline: Pipeline | None = None,
                 settings: dict[str, Any] | None = None,
                 progress: Callable[[int], None] | None = None, reanalyze: bool = False) -> IngestSummary:
    """Analyse and store articles read elsewhere (failures are recorded as they are): skip those already
    stored, analyse with ``n_process`` workers, write from this thread, one transaction per batch."""
    cfg = settings or load_settings()
    summary = IngestSummary()
    start = time.perf_counter()
    analysed = analyze_stream(_new_only(items, corpus, summary, progress, reanalyze=reanalyze),
                              pipeline or Pipeline(settings=cfg), n_process=cfg["n_process"],
                              error_policy=cfg["error_policy"], batch_size=cfg["batch_size"])
    batch: list[Article] = []
    failures: list[Failure] = []

    def flush() -> None:
        result = corpus.add(batch, replace=reanalyze)
        summary.added += result.added
        summary.duplicates += result.duplicates
        summary.ids.extend(result.ids)
        failures.extend(result.failures)  # stored, but without corpus links
        corpus.record_failures(failures)
        summary.failures.extend(failures)
        batch.clear()
        failures.clear()

    try:
        for item in analysed:
            (failures if isinstance(item, Failure) else batch).append(item)  # type: ignore[arg-type]
            if len(batch) >= cfg["batch_size"]:
                flush()
    finally:  # whatever stops the batch (error policy 'raise', Ctrl-C), what was analysed is stored
        flush()
    summary.seconds = time.perf_counter() - start
    return summary
