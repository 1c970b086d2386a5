"""Run a pipeline over one article or a stream: batching, worker processes and an error policy."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence

from newsgraph.errors import NewsgraphError, StageFailed, UsageError
from newsgraph.model import Article, Failure
from newsgraph.pipeline.registry import Stage, apply_update, check_contracts, get_stage

DEFAULT_STAGES: tuple[str, ...] = ("language", "tokens", "morphology", "entities", "coref", "statements")


class Pipeline:
    """An ordered list of stages whose contracts were checked when it was built."""

    def __init__(self, names: Sequence[str] = DEFAULT_STAGES) -> None:
        self.stages: list[Stage] = [get_stage(n) for n in names]
        check_contracts(self.stages)

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
                update = st.func(article)
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


def _worker_init(names: Sequence[str]) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(names)


def _analyze_or_fail(item: Article) -> Article | Failure:
    assert _WORKER_PIPELINE is not None
    return _safe(_WORKER_PIPELINE, item)


def _safe(pipeline: Pipeline, article: Article) -> Article | Failure:
    try:
        return pipeline(article)
    except NewsgraphError as exc:
        return Failure.from_error(exc, input=str(article.meta.get("input", article.id)), stage="analyze")


def analyze_stream(
    items: Iterable[Article | Failure], pipeline: Pipeline | None = None, *, n_process: int = 1,
    error_policy: str = "record", batch_size: int = 32,
) -> Iterator[Article | Failure]:
    """Analyse articles in order; failures pass through (``record``) or raise (``raise``)."""
    if error_policy not in ("record", "raise"):
        raise UsageError(f"error_policy must be 'record' or 'raise', not {error_policy!r}")
    pipeline = pipeline or Pipeline()
    if n_process <= 1:
        for item in items:
            if isinstance(item, Failure):
                out: Article | Failure = item
            elif error_policy == "raise":
                out = pipeline(item)
            else:
                out = _safe(pipeline, item)
            yield out
        return
    ctx = multiprocessing.get_context("spawn")
    passthrough: list[Failure] = []

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Failure):
                passthrough.append(item)
            else:
                yield item

    with ctx.Pool(n_process, initializer=_worker_init, initargs=(pipeline.names,)) as pool:
        for out in pool.imap(_analyze_or_fail, articles(), chunksize=max(1, batch_size // n_process)):
            while passthrough:
                yield passthrough.pop(0)
            if error_policy == "raise" and isinstance(out, Failure):
                raise StageFailed(out.reason, where=out.input)
            yield out
    yield from passthrough
