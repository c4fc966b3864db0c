"""The REST API against its own OpenAPI schema (schemathesis): generated requests for
every read operation, each answer checked for server errors, status codes, content
types and the response schema the API declares.

Schemathesis' own pytest loader does not run under this pytest, so the operations are
driven with hypothesis directly: one test per operation, each with a few examples.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from claimgraph.web import create_app

#: Read operations of the API (POST /api/documents runs the spaCy pipeline on whatever
#: text is generated; it is tested by hand in test_web_api.py).
OPERATIONS = [
    "/api",
    "/api/documents",
    "/api/documents/{doc_id}",
    "/api/actors",
    "/api/actors/{entity_id}",
    "/api/statements",
    "/api/events",
    "/api/search",
    "/api/network",
    "/api/contested",
    "/api/threads",
    "/api/threads/{thread_id}",
    "/api/claims",
    "/api/timeline",
]


@pytest.fixture(scope="module")
def web_schema(examples_db: str) -> Any:
    # schemathesis calls the app as http://testserver/
    app = create_app(examples_db, allowed_hosts=["testserver"])
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_schema_lists_every_read_operation(web_schema: Any) -> None:
    paths = {op.ok().path for op in web_schema.get_all_operations()}
    assert set(OPERATIONS) <= paths
    assert "/api/documents" in paths


@pytest.mark.parametrize("path", OPERATIONS)
def test_answers_match_the_schema(web_schema: Any, path: str) -> None:
    operation = web_schema["/" + path.lstrip("/")]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        # Every check but "schema-valid data is accepted": the schema cannot say that
        # 2022-02-30 is no date, nor that /api/timeline needs actor *or* thread; the
        # API answers those with a 422 that is tested in test_web_api.py.
        case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])

    check()
