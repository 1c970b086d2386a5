"""schemathesis with all its checks against our OpenAPI document: status codes, headers, content types and
schemas conform, undeclared methods get 405 with Allow, schema-valid requests are accepted, invalid ones
rejected, and nothing answers 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from newsgraph.interfaces.api import create_app  # noqa: E402

OPERATIONS = ["GET /api/articles", "GET /api/articles/{article_id}", "GET /api/articles/{article_id}/copies",
              "GET /api/articles/{article_id}/related", "GET /api/stories", "GET /api/stories/{story_id}",
              "GET /api/search", "GET /api/entities",
              "GET /api/entities/{entity_id}", "GET /api/statements", "GET /api/events", "GET /api/network",
              "GET /api/failures",
              "POST /api/analyze", "POST /api/ingest"]

# A schema can say that "text" is a string, not that it is an article: text or HTML that cannot be analysed
# (no main text, empty after decoding, both or neither of text and html) is answered 400 / 422 with its failure
# code, as the OpenAPI document declares. Every other operation must accept every schema-valid request.
CONFIG = {"operations": [
    {"include-path": path, "include-method": "POST",
     "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "422"]}}}
    for path in ("/api/analyze", "/api/ingest")]}


@pytest.fixture(scope="module")
def api_schema(demo_db: Path):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(demo_db),
                                          config=SchemathesisConfig.from_dict(CONFIG))


def test_spec_lists_every_operation(api_schema) -> None:  # type: ignore[no-untyped-def]
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_all_checks_pass(api_schema, label: str) -> None:  # type: ignore[no-untyped-def]
    operation = next(r.ok() for r in api_schema.get_all_operations() if r.ok().label == label)

    @given(operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate()  # all checks: schemathesis's default set for call_and_validate

    run()
