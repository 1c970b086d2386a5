"""schemathesis against our OpenAPI spec: no generated request may produce a server error (5xx)."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from newsgraph.interfaces.api import create_app  # noqa: E402

OPERATIONS = ["GET /api/articles", "GET /api/articles/{article_id}", "GET /api/search", "GET /api/entities",
              "GET /api/entities/{entity_id}", "GET /api/statements", "GET /api/network", "GET /api/failures",
              "POST /api/analyze", "POST /api/ingest"]


@pytest.fixture(scope="module")
def api_schema(demo_db: Path):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(demo_db))


def test_spec_lists_every_operation(api_schema) -> None:  # type: ignore[no-untyped-def]
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_errors(api_schema, label: str) -> None:  # type: ignore[no-untyped-def]
    operation = next(r.ok() for r in api_schema.get_all_operations() if r.ok().label == label)

    @given(operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=[not_a_server_error])

    run()
