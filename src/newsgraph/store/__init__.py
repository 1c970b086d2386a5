"""The corpus store (SQLite): a library; the CLI, API and web UI are thin layers over it."""

from newsgraph.store.corpus import AddResult, Corpus, Query, SearchHit

__all__ = ["AddResult", "Corpus", "Query", "SearchHit"]
