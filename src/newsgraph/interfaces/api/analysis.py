"""POST /api/analyze and /api/ingest bodies to articles."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from newsgraph import analyze
from newsgraph.batch import ingest_items
from newsgraph.errors import NewsgraphError, UsageError
from newsgraph.ingest.html import article_from_html
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article, Failure
from newsgraph.store import Corpus


def to_article(request: Any, *, max_chars: int) -> Article:
    if bool(request.text) == bool(request.html):
        raise UsageError("give exactly one of \"text\" or \"html\"", hint="send {\"text\": \"...\"}")
    fields = {"title": request.title, "published": request.published, "source": request.source}
    if request.html:
        article = article_from_html(request.html, "request", url=None, max_chars=max_chars)
        return dataclasses.replace(article, **{k: v for k, v in fields.items() if v})
    check_length(request.text, "request", max_chars)
    return Article.create(request.text, **fields)


def analyze_request(request: Any, *, max_chars: int) -> Article:
    return analyze(to_article(request, max_chars=max_chars))


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
