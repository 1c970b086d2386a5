"""POST /api/analyze and /api/ingest: bodies to articles, analysed in a small pool of their own.

The pool is bounded (ANALYSIS_THREADS running, WAITING_LIMIT waiting): analysis never takes the threads that
serve reads, a request past the article time budget is answered 503 (NG105) while its thread finishes, and a
full queue is answered 503 (NG308) at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from newsgraph import analyze
from newsgraph.batch import ingest_items
from newsgraph.errors import ArticleTimeout, NewsgraphError, ServerBusy, UsageError
from newsgraph.ingest.html import article_from_html
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline
from newsgraph.store import Corpus

T = TypeVar("T")


ANALYSIS_THREADS = 2
WAITING_LIMIT = 16
_pool = ThreadPoolExecutor(max_workers=ANALYSIS_THREADS, thread_name_prefix="newsgraph-analysis")
_slots = threading.BoundedSemaphore(WAITING_LIMIT)


async def in_analysis_pool(call: Callable[[], T], *, budget: float) -> T:
    """Run ``call`` in the analysis pool; wait at most ``budget`` seconds (0: no limit)."""
    if not _slots.acquire(blocking=False):
        raise ServerBusy(f"{WAITING_LIMIT} analyses are already running or waiting")
    work = _pool.submit(call)
    work.add_done_callback(lambda _done: _slots.release())  # in the worker: the slot frees when the work ends
    try:
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(work)), timeout=budget or None)
    except TimeoutError as exc:
        raise ArticleTimeout(f"analysis took longer than {budget:g}s; the request was answered, the work "
                             "finishes in the background") from exc


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
    with Corpus(db_path) as corpus:
        summary = ingest_items(items, corpus, settings=cfg)
    return {"added": summary.added, "duplicates": summary.duplicates, "ids": summary.ids,
            "failures": [f.to_dict() for f in summary.failures]}
