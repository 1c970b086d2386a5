"""POST /api/analyze and /api/ingest: bodies to articles, analysed in a small pool of their own.

The pool is bounded (ANALYSIS_THREADS running, WAITING_LIMIT waiting): analysis never takes the threads that
serve reads, and a full queue is answered 503 (NG308) at once. The article time budget counts the analysing
thread's CPU time from when its work starts, so waiting in the queue or sharing the machine costs nothing; work
past the budget ends there and is answered 503 (NG105), and work whose client left is cancelled.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from newsgraph import analyze
from newsgraph.batch import ingest_items
from newsgraph.errors import ArticleTimeout, ClientGone, NewsgraphError, ServerBusy, UsageError
from newsgraph.ingest.html import article_from_html
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.budget import Budget, time_budget
from newsgraph.store import Corpus

T = TypeVar("T")
CLIENT_POLL_SECONDS = 0.25


ANALYSIS_THREADS = 2
WAITING_LIMIT = 16
_pool = ThreadPoolExecutor(max_workers=ANALYSIS_THREADS, thread_name_prefix="newsgraph-analysis")
_slots = threading.BoundedSemaphore(WAITING_LIMIT)


async def in_analysis_pool(call: Callable[[], T], *, budget: float, hang_guard: float = 0.0,
                           disconnected: Callable[[], Awaitable[bool]] | None = None) -> T:
    """Run ``call`` in the analysis pool within ``budget`` CPU seconds and ``hang_guard`` wall seconds, both
    counted from when the work starts (not while it waits for a thread). Work whose client leaves is cancelled:
    taken off the queue, or ended at its next bytecode."""
    if not _slots.acquire(blocking=False):
        raise ServerBusy(f"{WAITING_LIMIT} analyses are already running or waiting")
    running: list[Budget] = []
    gone = threading.Event()

    def run() -> T:
        if gone.is_set():
            raise ArticleTimeout("the client left before the analysis started")
        with time_budget(budget, hang_guard=hang_guard, where="request") as spent:
            running.append(spent)
            if gone.is_set():  # left between the check above and the budget's start
                spent.cancel("the client left")
            return call()

    work = _pool.submit(run)
    work.add_done_callback(lambda _done: _slots.release())  # in the worker: the slot frees when the work ends
    result = asyncio.wrap_future(work)
    try:
        while not result.done():
            await asyncio.wait({result}, timeout=CLIENT_POLL_SECONDS)
            if not result.done() and disconnected is not None and await disconnected():
                raise ClientGone("the client closed the connection before its analysis ended")
        return result.result()
    except (ClientGone, asyncio.CancelledError):
        gone.set()
        work.cancel()
        for spent in running:
            spent.cancel("the client left")
        raise


def to_article(request: Any, *, max_chars: int) -> Article:
    if request.text is not None and request.html is None and not request.text.strip():
        raise UsageError("the text is empty", hint="send the article's text: {\"text\": \"...\"}")
    if bool(request.text) == bool(request.html):
        raise UsageError("give exactly one of \"text\" or \"html\"", hint="send {\"text\": \"...\"}")
    fields = {"title": request.title, "published": request.published, "source": request.source}
    if request.html:
        article = article_from_html(request.html, "request", url=None, max_chars=max_chars)
        return dataclasses.replace(article, **{k: v for k, v in fields.items() if v})
    check_length(request.text, "request", max_chars)
    return Article.create(request.text, **fields)


def analyze_request(request: Any, *, max_chars: int, pipeline: Pipeline | None = None) -> Article:
    return analyze(to_article(request, max_chars=max_chars), pipeline=pipeline)


def ingest_request(requests: list[Any], db_path: Path, cfg: dict[str, Any]) -> dict[str, Any]:
    """Store request bodies through the same ingest as the CLI: dedupe, ``n_process``, error policy."""
    items: list[Article | Failure] = []
    for i, req in enumerate(requests):
        try:
            items.append(to_article(req, max_chars=int(cfg["max_article_chars"])))
        except NewsgraphError as exc:
            items.append(exc.to_failure(input=f"request#{i}", stage="api"))
    with Corpus(db_path, story_vectors=str(cfg["story_vectors"])) as corpus:
        summary = ingest_items(items, corpus, settings=cfg)
    return {"added": summary.added, "duplicates": summary.duplicates, "ids": summary.ids,
            "failures": [f.to_dict() for f in summary.failures]}
