"""Request dependencies: a read-only corpus connection per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from newsgraph.errors import NotFound
from newsgraph.store import Corpus


def reader(request: Request) -> Iterator[Corpus]:
    db_path = request.app.state.db_path
    if not db_path.exists():
        raise NotFound(f"no corpus at {db_path}", hint="ingest something first: newsgraph ingest PATH")
    corpus = Corpus(db_path, readonly=True)
    try:
        yield corpus
    finally:
        corpus.close()


Reader = Annotated[Corpus, Depends(reader)]
