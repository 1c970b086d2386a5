"""The API's guards: bounded bodies (chunked too), security headers, 405 with Allow, Host allow-list, no
javascript: links, spreadsheet-safe CSV."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newsgraph.batch import ingest
from newsgraph.interfaces.api import create_app
from newsgraph.settings import load_settings
from newsgraph.store import Corpus
from newsgraph.store.export import export_csv

TEXT = "Der Kreml bestätigte das Gespräch am Mittwoch. Trump sprach von einem sehr guten Telefonat mit Putin."


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    rows = [{"text": TEXT, "title": "=HYPERLINK(\"http://x\")", "url": "javascript:alert(document.domain)"},
            {"text": TEXT + " Nachtrag.", "title": "Zweite", "url": "https://example.org/b"}]
    (folder / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with Corpus(folder / "h.db") as corpus:
        ingest([str(folder / "in.jsonl")], corpus, settings=load_settings())
    return folder / "h.db"


@pytest.fixture(scope="module")
def client(hostile_db: Path) -> TestClient:
    return TestClient(create_app(hostile_db, {**load_settings(), "analyze_max_bytes": 100_000}))


def test_every_response_carries_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/articles", "/nope"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_undeclared_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/api/articles")
    assert response.status_code == 405 and "GET" in response.headers["allow"]
    assert response.json()["error"]["code"] == "NG303"


def test_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    big = json.dumps({"text": "x" * 200_000})
    assert client.post("/api/analyze", content=big, headers={"content-type": "application/json"}).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: only counting while reading can stop it
        yield b'{"text": "'
        for _ in range(1000):
            yield b"x" * 1000
        yield b'"}'

    response = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "NG306"
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200


def test_host_allow_list(hostile_db: Path) -> None:
    guarded = TestClient(create_app(hostile_db, allowed_hosts=["127.0.0.1"]), base_url="http://127.0.0.1")
    assert guarded.get("/api/articles").status_code == 200
    rebound = guarded.get("/api/articles", headers={"host": "evil.example"})
    assert rebound.status_code == 400 and rebound.json()["error"]["code"] == "NG307"


def test_only_http_urls_become_links(client: TestClient, hostile_db: Path) -> None:
    with Corpus(hostile_db, readonly=True) as corpus:
        ids = {a.url: a.id for a in corpus.iter_articles()}
    page = client.get(f"/articles/{ids['javascript:alert(document.domain)']}").text
    assert 'href="javascript:' not in page and "javascript:alert(document.domain)" in page
    assert 'href="https://example.org/b"' in client.get(f"/articles/{ids['https://example.org/b']}").text


def test_csv_export_neutralises_formulas(hostile_db: Path) -> None:
    out = io.StringIO()
    with Corpus(hostile_db, readonly=True) as corpus:
        export_csv(corpus, out)
    assert "'=HYPERLINK" in out.getvalue() and ",=HYPERLINK" not in out.getvalue()


def test_every_operation_answers_undeclared_methods_with_405_and_allow(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        concrete = path.replace("{article_id}", "0123456789abcdef").replace("{entity_id}", "PER:x")
        for method in {"get", "post", "put", "patch", "delete"} - set(operations):
            response = client.request(method.upper(), concrete)
            assert response.status_code == 405, (method, path)
            assert {m.upper() for m in operations} <= {m.strip() for m in response.headers["allow"].split(",")}
        for status in ("404", "405", "413", "422"):
            assert status in next(iter(operations.values()))["responses"], (path, status)


def test_analysis_runs_in_a_bounded_pool_with_the_time_budget(hostile_db: Path) -> None:
    from newsgraph.interfaces.api import analysis

    slow = TestClient(create_app(hostile_db, {**load_settings(), "article_time_budget": 0.001}))
    late = slow.post("/api/analyze", json={"text": TEXT * 20})
    assert late.status_code == 503 and late.json()["error"]["code"] == "NG105"
    taken = 0
    while analysis._slots.acquire(blocking=False):  # fill the queue as a flood of requests would
        taken += 1
    try:
        busy = slow.post("/api/analyze", json={"text": TEXT})
        assert busy.status_code == 503 and busy.json()["error"]["code"] == "NG308"
        assert slow.get("/api/articles").status_code == 200  # reads are not behind the analyses
    finally:
        for _ in range(taken):
            analysis._slots.release()
    # The timed-out analysis finishes in the background; wait for it so later tests find the pool empty.
    held = [analysis._slots.acquire(timeout=60) for _ in range(analysis.WAITING_LIMIT)]
    assert all(held)
    for _ in held:
        analysis._slots.release()


def _busy(seconds: float, stopped: list[bool]) -> str:
    """Pure Python work for ``seconds`` of this thread's CPU time; notes whether it was stopped early."""
    import time

    deadline = time.thread_time() + seconds
    try:
        while time.thread_time() < deadline:
            pass
    except BaseException:
        stopped.append(True)
        raise
    return "done"


def _waits(seconds: float) -> str:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.05)  # holds a pool thread, costs no CPU: as a request queued behind others would
    return "done"


def test_queue_time_is_not_counted_and_over_budget_work_is_cancelled() -> None:
    import asyncio
    import time

    from newsgraph.errors import ArticleTimeout
    from newsgraph.interfaces.api import analysis

    async def scenario() -> tuple[list[object], float, list[bool]]:
        stopped: list[bool] = []
        blockers = [analysis.in_analysis_pool(lambda: _waits(1.0), budget=0.3) for _ in range(analysis.ANALYSIS_THREADS)]
        queued = analysis.in_analysis_pool(lambda: _busy(0.05, []), budget=0.3)  # waits 1 s for a thread: fine
        costly = analysis.in_analysis_pool(lambda: _busy(30, stopped), budget=0.3)
        began = time.monotonic()
        results = await asyncio.gather(*blockers, queued, costly, return_exceptions=True)
        return results, time.monotonic() - began, stopped

    results, took, stopped = asyncio.run(scenario())
    assert results[:-1] == ["done"] * (analysis.ANALYSIS_THREADS + 1)
    assert isinstance(results[-1], ArticleTimeout) and "CPU time" in results[-1].message
    assert stopped == [True] and took < 10  # the 30 s of work ended at its budget, not in the background


def test_work_whose_client_left_is_cancelled() -> None:
    import asyncio

    from newsgraph.interfaces.api import analysis

    stopped: list[bool] = []

    async def gone() -> bool:
        return True

    async def scenario() -> None:
        await analysis.in_analysis_pool(lambda: _busy(30, stopped), budget=0, disconnected=gone)

    with pytest.raises(analysis.ClientGone):
        asyncio.run(scenario())
    held = [analysis._slots.acquire(timeout=10) for _ in range(analysis.WAITING_LIMIT)]  # the slot came back
    for ok in held:
        if ok:
            analysis._slots.release()
    assert all(held) and stopped == [True]
