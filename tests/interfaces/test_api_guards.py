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
