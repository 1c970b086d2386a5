"""The per-article time budget: past it an article is an NG105 failure and the batch goes on."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from typing import Any

from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream, stage
from newsgraph.pipeline.runner import _next_result
from newsgraph.settings import Settings, load_settings


@stage("test_sleepy", assigns=["language"])
def sleepy(article: Article, settings: Settings) -> dict[str, Any]:
    if "SCHLAF" in article.text:
        time.sleep(30)
    return {}


def test_slow_article_fails_within_the_budget_and_the_batch_goes_on() -> None:
    pipe = Pipeline(["test_sleepy", "tokens"], settings={**load_settings(), "article_time_budget": 0.5})
    start = time.monotonic()
    out = list(analyze_stream([Article.create("Eins."), Article.create("SCHLAF jetzt."), Article.create("Drei.")],
                              pipe))
    assert time.monotonic() - start < 5
    assert [type(o).__name__ for o in out] == ["Article", "Failure", "Article"]
    failure = out[1]
    assert isinstance(failure, Failure) and failure.code == "NG105" and failure.hint
    assert out[2].tokens  # type: ignore[union-attr]


def test_zero_budget_means_no_limit() -> None:
    pipe = Pipeline(["tokens"], settings={**load_settings(), "article_time_budget": 0})
    [out] = list(analyze_stream([Article.create("Eins zwei drei.")], pipe))
    assert isinstance(out, Article)


class _Stuck:
    def get(self, timeout: float | None = None) -> Any:
        raise multiprocessing.TimeoutError


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self, timeout: float | None = None) -> Any:
        return self.value


class _FakeWorkers:
    def __init__(self) -> None:
        self.restarts = 0
        self.submitted: list[Any] = []

    def wait_for(self, budget: float) -> float:
        return budget

    def restart(self) -> None:
        self.restarts += 1

    def submit(self, item: Any) -> _Done:
        self.submitted.append(item)
        return _Done(item)


def test_a_worker_stuck_past_the_budget_is_replaced_and_the_queue_resubmitted() -> None:
    stuck, queued = Article.create("Hängt."), Article.create("Wartet.")
    workers = _FakeWorkers()
    pending: deque[Any] = deque([(stuck, _Stuck()), (queued, _Stuck())])
    result = _next_result(pending, workers, 10.0)  # type: ignore[arg-type]
    assert isinstance(result, Failure) and result.code == "NG105" and "replaced" in result.reason
    assert workers.restarts == 1 and workers.submitted == [queued]
    assert _next_result(pending, workers, 10.0) == queued  # type: ignore[arg-type]
