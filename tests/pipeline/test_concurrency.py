"""Models under concurrent calls: threads (the API's thread pool) and worker processes (``--n-process``) give
exactly what one sequential run gives."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsgraph import analyze
from newsgraph.batch import ingest
from newsgraph.model import Article
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "wikinews-de.jsonl"


@pytest.fixture(scope="module")
def forty() -> list[Article]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:40]
    return [Article.create(json.loads(line)["text"]) for line in lines]


def test_eight_threads_twice_match_a_sequential_run(forty: list[Article]) -> None:
    sequential = [analyze(a).to_dict() for a in forty]
    assert sum(len(d["statements"]) for d in sequential) > 40  # the statements CRFs are exercised
    for _round in range(2):
        with ThreadPoolExecutor(max_workers=8) as pool:
            threaded = [a.to_dict() for a in pool.map(analyze, forty)]
        mismatched = [i for i, (s, t) in enumerate(zip(sequential, threaded, strict=True)) if s != t]
        assert not mismatched, f"articles {mismatched} differ from the sequential run"


def test_ingest_with_two_worker_processes_matches_one(tmp_path: Path) -> None:
    sample = tmp_path / "twelve.jsonl"
    sample.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:12]) + "\n{broken\n",
                      encoding="utf-8")
    stored = {}
    for n in (1, 2):
        with Corpus(tmp_path / f"n{n}.db") as corpus:
            summary = ingest([str(sample)], corpus, settings=load_settings({"n_process": n, "batch_size": 4}))
            assert summary.added == 12 and [f.code for f in summary.failures] == ["NG009"]
            stored[n] = [a.to_dict() for a in corpus.iter_articles()]
    assert stored[1] == stored[2]
