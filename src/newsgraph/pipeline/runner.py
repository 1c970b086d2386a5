"""Run a pipeline over one article or a stream: batching, worker processes and an error policy."""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from multiprocessing.pool import AsyncResult
from typing import Any

import newsgraph.pipeline.stages  # noqa: F401  (registers the built-in stages)
from newsgraph.errors import ArticleTimeout, NewsgraphError, StageFailed, UsageError
from newsgraph.model import Article, Failure
from newsgraph.pipeline.budget import check_budget, time_budget
from newsgraph.pipeline.registry import DEFAULT_TIER, Stage, apply_update, check_contracts, stage_for, stage_variants
from newsgraph.settings import Settings, load_settings

DEFAULT_STAGES: tuple[str, ...] = ("language", "dateline", "tokens", "reading", "morphology", "times",
                                   "mentions", "entities", "statements", "events", "topics")
WARM_UP_TEXT = "Der Kreml bestätigte am Mittwoch das Gespräch. Trump sagte, es sei sehr gut gewesen."


def limit_blas_threads(threads: int) -> None:
    """Cap numpy's BLAS threads for the process (0: leave them). The heads multiply small matrices: a second
    BLAS thread gains little alone and, beside workers or an encoder on the other cores, spins against them
    (measured here: one 150 x 1232 x 256 product took 1.3 ms on one thread, 3.4 ms on two under load)."""
    if threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")


class Pipeline:
    """An ordered list of stages whose contracts were checked when it was built, and the settings its stages
    receive (read once, here)."""

    def __init__(self, names: Sequence[str] = DEFAULT_STAGES, *, settings: Settings | None = None,
                 keep_encoding: bool = False) -> None:
        self.keep_encoding = keep_encoding  # True: the article keeps the shared pass's states (evaluations)
        self.settings: Settings = dict(settings) if settings is not None else load_settings()
        tier = str(self.settings.get("tier", DEFAULT_TIER))
        # each stage's variant for the tier, chosen once; a stage the tier has no variant of is left out
        chosen = [stage_for(n, tier) for n in names]
        self.stages: list[Stage] = [st for st in chosen if st is not None]
        check_contracts(self.stages)
        # where the tier chose between variants, each article's meta names it
        self.tier = tier if any(len(stage_variants(st.name)) > 1 or st.variant for st in self.stages) else None
        for st in self.stages:
            if st.check is not None:
                st.check()  # a missing package is NG309 now, not a failure of every article
        limit_blas_threads(int(self.settings.get("blas_threads", 1)))
        self.warm = False

    def warm_up(self) -> None:
        """Run once on a short German text so that the stages load their models outside any time budget. An
        error here is not recorded: the same error fails the first real article, which is."""
        self.warm = True
        with suppress(NewsgraphError):
            self(Article.create(WARM_UP_TEXT))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, article: Article) -> Article:
        """The article with every stage's layers. A stage that breaks (a bug, not a coded error) loses only its
        own layers and those of the stages that need them: the article goes on, its ``meta["failed_stages"]``
        says which stage failed and why, and the store records that as the article's NG103 failure."""
        skipped: list[str] = []
        failed: list[dict[str, str]] = []
        missing: dict[str, str] = {}  # what failed stages would have assigned -> the stage that failed
        for st in self.stages:
            check_budget()
            if not st.applies_to(article):
                skipped.append(st.name)
                continue
            lacking = [missing.get(need, missing.get(need.split(".", 1)[0])) for need in st.requires]
            cause = next((name for name in lacking if name), None)
            reason = f"not run: it needs what stage {cause!r} did not assign" if cause else None
            if reason is None:
                try:
                    article = apply_update(article, st, st.func(article, self.settings))
                except StageFailed as exc:
                    reason = exc.message
                except NewsgraphError:
                    raise
                except Exception as exc:  # a stage bug: name the stage, keep the article and the other layers
                    reason = f"stage {st.name!r} failed: {type(exc).__name__}: {exc}"
            if reason is not None:
                failed.append({"stage": st.name, "code": StageFailed.code, "reason": reason[:1000]})
                missing.update({a: cause or st.name for a in st.assigns})
        if article.encoding is not None and not self.keep_encoding:  # it serves the stages; never stored or sent
            article = dataclasses.replace(article, encoding=None)
        meta = {**article.meta, "tier": self.tier} if self.tier else article.meta
        if skipped:
            meta = {**meta, "skipped_stages": skipped}
        if failed:
            meta = {**meta, "failed_stages": failed}
        return article if meta is article.meta else dataclasses.replace(article, meta=meta)


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
    budget, guard = _limits(pipeline)
    if (budget > 0 or guard > 0) and not pipeline.warm:
        pipeline.warm_up()
    try:
        with time_budget(budget, hang_guard=guard, where=article.input_name):
            return pipeline(article)
    except NewsgraphError as exc:
        return exc.to_failure(input=article.input_name, stage="analyze")


def _limits(pipeline: Pipeline) -> tuple[float, float]:
    """(CPU seconds per article, wall-clock hang guard) from the pipeline's settings."""
    return (float(pipeline.settings.get("article_time_budget", 0)),
            float(pipeline.settings.get("article_hang_guard", 0)))


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
        if error_policy == "raise" and isinstance(out, Article) and out.meta.get("failed_stages"):
            raise StageFailed("; ".join(f["reason"] for f in out.meta["failed_stages"]), where=out.input_name)
        yield out


def _in_process(items: Iterable[Article | Failure], pipeline: Pipeline) -> Iterator[Article | Failure]:
    for item in items:
        yield item if isinstance(item, Failure) else _safe(pipeline, item)


# Worker processes load their models before the first article: allowed on top of the budget after a (re)start.
STARTUP_ALLOWANCE = 120.0


class _Workers:
    """A pool of spawned worker processes that can be replaced when one is stuck past the budget (in C code,
    where the in-process alarm cannot interrupt it)."""

    def __init__(self, pipeline: Pipeline, n_process: int) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.n_process = n_process
        self.initargs = (pipeline.names, dict(pipeline.settings))
        self.pool = self._start()

    def _start(self) -> Any:
        self.started = time.monotonic()
        return self.context.Pool(self.n_process, initializer=_worker_init, initargs=self.initargs)

    def submit(self, item: Article | Failure) -> AsyncResult[Article | Failure]:
        result: AsyncResult[Article | Failure] = self.pool.apply_async(_analyze_in_worker, (item,))
        return result

    def restart(self) -> None:
        self.pool.terminate()
        self.pool = self._start()

    def wait_for(self, budget: float) -> float | None:
        if budget <= 0:
            return None
        return budget + max(0.0, STARTUP_ALLOWANCE - (time.monotonic() - self.started))


def _in_workers(items: Iterable[Article | Failure], pipeline: Pipeline, n_process: int,
                batch_size: int) -> Iterator[Article | Failure]:
    cpu, guard = _limits(pipeline)  # a worker ends its own article at the CPU budget; this waits out a hang
    budget = guard or 10 * cpu
    window = max(2, batch_size) * n_process
    workers = _Workers(pipeline, n_process)
    pending: deque[tuple[Article | Failure, AsyncResult[Article | Failure]]] = deque()
    try:
        for item in items:
            pending.append((item, workers.submit(item)))
            if len(pending) >= window:
                yield _next_result(pending, workers, budget)
        while pending:
            yield _next_result(pending, workers, budget)
    finally:
        workers.pool.terminate()


def _next_result(pending: deque[tuple[Article | Failure, AsyncResult[Article | Failure]]], workers: _Workers,
                 budget: float) -> Article | Failure:
    """The oldest result; past the budget its worker is stuck: the pool is replaced, the queue resubmitted."""
    item, result = pending.popleft()
    try:
        return result.get(timeout=workers.wait_for(budget))
    except multiprocessing.TimeoutError:
        workers.restart()
        for k, (queued, _lost) in enumerate(pending):
            pending[k] = (queued, workers.submit(queued))
        assert isinstance(item, Article)  # failures come back at once
        return ArticleTimeout(f"analysis ran longer than {budget:g}s of wall time; the worker was replaced",
                              where=item.input_name).to_failure(input=item.input_name, stage="analyze")
