"""Run a pipeline over one article or a stream: batching, worker processes and an error policy."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any

import newsgraph.pipeline.stages  # noqa: F401  (registers the built-in stages)
from newsgraph.errors import NewsgraphError, StageFailed, UsageError
from newsgraph.model import Article, Failure
from newsgraph.pipeline.registry import Stage, apply_update, check_contracts, get_stage
from newsgraph.settings import Settings, load_settings

DEFAULT_STAGES: tuple[str, ...] = ("language", "tokens", "mentions", "entities", "statements")


class Pipeline:
    """An ordered list of stages whose contracts were checked when it was built, and the settings its stages
    receive (read once, here)."""

    def __init__(self, names: Sequence[str] = DEFAULT_STAGES, *, settings: Settings | None = None) -> None:
        self.stages: list[Stage] = [get_stage(n) for n in names]
        check_contracts(self.stages)
        self.settings: Settings = dict(settings) if settings is not None else load_settings()

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, article: Article) -> Article:
        skipped: list[str] = []
        for st in self.stages:
            if not st.applies_to(article):
                skipped.append(st.name)
                continue
            try:
                update = st.func(article, self.settings)
            except NewsgraphError:
                raise
            except Exception as exc:  # a stage bug must name the stage and the article
                raise StageFailed(f"stage {st.name!r} failed: {type(exc).__name__}: {exc}",
                                  where=article.id) from exc
            article = apply_update(article, st, update)
        if skipped:
            article = dataclasses.replace(article, meta={**article.meta, "skipped_stages": skipped})
        return article


_WORKER_PIPELINE: Pipeline | None = None


def _worker_init(names: Sequence[str], settings: dict[str, Any]) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(names, settings=settings)


def _analyze_in_worker(item: Article | Failure) -> Article | Failure:
    if isinstance(item, Failure):
        return item
    assert _WORKER_PIPELINE is not None
    return _safe(_WORKER_PIPELINE, item)


def _safe(pipeline: Pipeline, article: Article) -> Article | Failure:
    try:
        return pipeline(article)
    except NewsgraphError as exc:
        return exc.to_failure(input=str(article.meta.get("input", article.id)), stage="analyze")


def analyze_stream(
    items: Iterable[Article | Failure], pipeline: Pipeline | None = None, *, n_process: int = 1,
    error_policy: str = "record", batch_size: int = 32,
) -> Iterator[Article | Failure]:
    """Analyse articles in order; failures pass through (``record``) or raise (``raise``).

    With ``n_process`` > 1, worker processes analyse while this thread reads ``items`` (so a reader that
    holds an SQLite connection is only ever used here) and yields results in input order; at most
    ``batch_size`` items per worker are in flight.
    """
    if error_policy not in ("record", "raise"):
        raise UsageError(f"error_policy must be 'record' or 'raise', not {error_policy!r}")
    pipeline = pipeline or Pipeline()
    results = _in_process(items, pipeline) if n_process <= 1 else _in_workers(items, pipeline, n_process,
                                                                                 batch_size)
    for out in results:
        if error_policy == "raise" and isinstance(out, Failure):
            raise StageFailed(out.reason, where=out.input)
        yield out


def _in_process(items: Iterable[Article | Failure], pipeline: Pipeline) -> Iterator[Article | Failure]:
    for item in items:
        yield item if isinstance(item, Failure) else _safe(pipeline, item)


def _in_workers(items: Iterable[Article | Failure], pipeline: Pipeline, n_process: int,
                batch_size: int) -> Iterator[Article | Failure]:
    ctx = multiprocessing.get_context("spawn")
    window = max(2, batch_size) * n_process
    pending: deque[AsyncResult[Article | Failure]] = deque()
    with ctx.Pool(n_process, initializer=_worker_init, initargs=(pipeline.names, dict(pipeline.settings))) as pool:
        for item in items:
            pending.append(pool.apply_async(_analyze_in_worker, (item,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
