"""The per-article time budget: past it an article is an NG105 failure and the batch goes on."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from typing import Any

from newsgraph.errors import ArticleTimeout
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream, stage
from newsgraph.pipeline.runner import _next_result
from newsgraph.settings import Settings, load_settings


@stage("test_sleepy", assigns=["language"])
def sleepy(article: Article, settings: Settings) -> dict[str, Any]:
    if "SCHLAF" in article.text:
        time.sleep(30)
    if "RECHNE" in article.text:  # pure Python work: costs CPU time
        deadline = time.thread_time() + 30
        while time.thread_time() < deadline:
            pass
    if "SCHLUCKE" in article.text:  # the exception lands where it is lost (as in a gc callback): work goes on
        deadline, done = time.thread_time() + 2, False
        while not done:
            try:
                while time.thread_time() < deadline:
                    pass
                done = True
            except ArticleTimeout:
                pass
    if "WARTE" in article.text:  # waits as a busy machine would make it wait: wall time, little CPU
        for _ in range(12):
            time.sleep(0.1)
    return {}


def _pipe(budget: float, guard: float) -> Pipeline:
    return Pipeline(["test_sleepy", "tokens"],
                    settings={**load_settings(), "article_time_budget": budget, "article_hang_guard": guard})


def test_costly_article_fails_within_the_cpu_budget_and_the_batch_goes_on() -> None:
    start = time.monotonic()
    out = list(analyze_stream([Article.create("Eins."), Article.create("RECHNE jetzt."), Article.create("Drei.")],
                              _pipe(0.5, 60)))
    assert time.monotonic() - start < 5
    assert [type(o).__name__ for o in out] == ["Article", "Failure", "Article"]
    failure = out[1]
    assert isinstance(failure, Failure) and failure.code == "NG105" and failure.hint
    assert "CPU time" in failure.reason
    assert out[2].tokens  # type: ignore[union-attr]


def test_waiting_is_not_the_articles_cost() -> None:
    """1.2 s of wall time but almost no CPU time: a busy machine must not drop the article."""
    [out] = list(analyze_stream([Article.create("WARTE bitte.")], _pipe(0.5, 60)))
    assert isinstance(out, Article) and out.tokens


def test_an_article_that_hangs_is_ended_by_the_wall_clock_guard() -> None:
    start = time.monotonic()
    [out] = list(analyze_stream([Article.create("SCHLAF jetzt.")], _pipe(10, 0.5)))
    assert time.monotonic() - start < 5
    assert isinstance(out, Failure) and out.code == "NG105" and "hang guard" in out.reason


def test_a_budget_exception_that_was_lost_still_ends_the_article() -> None:
    """Raised inside a garbage-collector callback, the exception never reaches the pipeline; the article still
    ends as NG105 (at the next stage, or when the block ends), never as a result that cost past the budget."""
    out = list(analyze_stream([Article.create("SCHLUCKE jetzt."), Article.create("Zwei.")], _pipe(0.2, 60)))
    assert isinstance(out[0], Failure) and out[0].code == "NG105"
    assert isinstance(out[1], Article) and out[1].tokens


def test_the_budget_works_outside_the_main_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        out = pool.submit(lambda: list(analyze_stream([Article.create("RECHNE jetzt.")], _pipe(0.3, 60)))).result(10)
    assert isinstance(out[0], Failure) and out[0].code == "NG105"


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
