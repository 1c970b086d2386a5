"""POST /api/analyze and /api/ingest bodies to articles."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from newsgraph import analyze
from newsgraph.errors import UsageError
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
    from newsgraph.errors import NewsgraphError

    articles, failures = [], []
    for i, req in enumerate(requests):
        try:
            articles.append(analyze_request(req, max_chars=int(cfg["max_article_chars"])))
        except NewsgraphError as exc:
            failures.append(Failure.from_error(exc, input=f"request#{i}", stage="api"))
    with Corpus(db_path) as corpus:
        result = corpus.add(articles)
        corpus.record_failures(failures)
    return {"added": result.added, "duplicates": result.duplicates, "ids": result.ids,
            "failures": [f.to_dict() for f in failures]}
