from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsgraph.errors import MissingData

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each worker of `-n 2` has one core: a BLAS pool that spins on both slows both workers (measured here: the
    # numpy e5 reproduction test took 60 s beside the other worker with two BLAS threads, 7 s alone). torch keeps
    # its threads: the accurate tier's floor took 314 s on one, 229 s on two.
    from newsgraph.pipeline.runner import limit_blas_threads

    limit_blas_threads(1)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "seed-article.txt"
SAMPLE = ROOT / "samples" / "wikinews-de.jsonl"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip when it is absent, except under CI=true."""
    from newsgraph.evaluation.data_paths import shared_data_dir

    try:
        return shared_data_dir()
    except MissingData:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("../shared/data is absent (set NEWSGRAPH_DATA); under CI=true this fails instead")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_article(seed_text: str):  # type: ignore[no-untyped-def]
    from newsgraph import analyze

    return analyze(seed_text)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus: the seed article, another outlet's rewrite of it, the first 20 sample articles, and one
    recorded failure."""
    return _built_once(tmp_path_factory, "demo", _build_demo_db)


def _built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """A store the tests only read, built by the first xdist worker that asks for it and read by every worker
    (a worker of the same run waits on the lock); without xdist, built in this session's temporary folder."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(tmp_path_factory.mktemp(name))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"  # one parent per run, for all workers
    with FileLock(str(shared) + ".lock"):
        done = shared / "built"
        if done.exists():
            return Path(done.read_text(encoding="utf-8"))
        shutil.rmtree(shared, ignore_errors=True)  # what a worker that failed half way left
        shared.mkdir()
        db = build(shared)
        done.write_text(str(db), encoding="utf-8")
        return db


def _build_demo_db(folder: Path) -> Path:
    import json

    sample = folder / "sample.jsonl"
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    sample.write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    db = folder / "demo.db"
    from newsgraph.batch import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Corpus

    seed = (ROOT / "samples" / "seed-article.txt").read_text(encoding="utf-8").split("\n")
    copy = folder / "seed-copy.txt"  # another outlet's rewrite of the same agency copy: copies, story, affiliation
    copy.write_text("Trump und Putin vereinbaren Friedensgespräche\n"
                    f"Washington (dpa) – {seed[0]}\n{seed[1]}\n"
                    "Bundeskanzler Friedrich Merz (CDU) begrüßte den Vorstoß. „Jeder Schritt zum Frieden ist "
                    "willkommen“, sagte Merz am Abend in Berlin.\n", encoding="utf-8")
    with Corpus(db) as corpus:
        ingest([str(ROOT / "samples" / "seed-article.txt"), str(copy), str(sample)], corpus,
               settings=load_settings())
    assert json.loads(lines[0])["text"]
    return db


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole sample corpus (samples/), stored once: corpus-level checks (entities, stories) read it."""
    return _built_once(tmp_path_factory, "sample", _build_sample_db)


def _build_sample_db(folder: Path) -> Path:
    from newsgraph.batch import ingest
    from newsgraph.settings import load_settings
    from newsgraph.store import Corpus

    db = folder / "sample.db"
    with Corpus(db) as corpus:
        ingest([str(ROOT / "samples")], corpus, settings=load_settings())
    return db


def warc_bytes(pages: list[tuple[str, str]], *, gzip_members: bool = True) -> bytes:
    """A WARC file of HTML responses, one per (url, html) page."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_members)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    return buf.getvalue()


def require_module(name: str, install: str) -> None:
    """Skip the test when an optional package is missing, except under CI=true, where that is a failure."""
    import importlib

    try:
        importlib.import_module(name)
    except ImportError:
        why = f"{name} is not installed ({install})"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


def rules_pipeline() -> Any:
    """The default pipeline with every event source the rules read kept (event_source_confidence 0): role tests
    test the rules, not what the confidence layer leaves of them (tests/pipeline/test_event_confidence.py)."""
    from newsgraph.pipeline import Pipeline
    from newsgraph.settings import load_settings

    return Pipeline(settings={**load_settings(), "event_source_confidence": 0.0})
