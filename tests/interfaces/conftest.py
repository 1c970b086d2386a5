from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.batch import ingest
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus: the seed article and the first 20 sample articles, plus one recorded failure."""
    import json

    folder = tmp_path_factory.mktemp("demo")
    sample = folder / "sample.jsonl"
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    sample.write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    db = folder / "demo.db"
    with Corpus(db) as corpus:
        ingest([str(ROOT / "samples" / "seed-article.txt"), str(sample)], corpus, settings=load_settings())
    assert json.loads(lines[0])["text"]
    return db
