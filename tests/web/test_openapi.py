"""The OpenAPI description validates, and the app's responses never contradict it.

The schema-driven test drives schemathesis through Hypothesis directly (``as_strategy``):
schemathesis' own pytest plugin (``from_fixture``) relies on a pytest internal that pytest 9
removed.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from web.openapi import openapi_spec

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 30  # per operation and mode: the whole file runs in well under a minute


def test_openapi_document_validates(client):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert {"/search.json", "/articles/{article_id}.json", "/stats.json"} <= set(spec["paths"])
    tools = {"/search.jsonl", "/trends.json", "/trends.csv", "/batch.json", "/batch.csv"}
    assert tools <= set(spec["paths"])


@pytest.fixture(scope="module")
def api_schema(sample_index):
    from web import create_app

    app = create_app({"INDEX_DIR": str(sample_index), "TESTING": True})
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


PATHS = openapi_spec()["paths"]
SEARCHES = [
    p
    for p, item in PATHS.items()
    if any(x["name"] == "q" for x in item.get("get", {}).get("parameters", []))
]
BATCHES = [p for p, item in PATHS.items() if "post" in item]
# Random queries rarely match an article; a query that matches many makes the other generated
# parameters (sort, filters, dates, pages) act on real hits.
REAL_QUERY = {"q": "said OR otan OR la"}
CASES = (
    [(path, GenerationMode.POSITIVE, None) for path in PATHS]
    + [(path, GenerationMode.POSITIVE, REAL_QUERY) for path in SEARCHES]
    + [(path, GenerationMode.NEGATIVE, None) for path in SEARCHES + BATCHES]
)


@pytest.mark.parametrize(("path", "mode", "query"), CASES)
def test_responses_conform_to_the_openapi_document(api_schema, path, mode, query):
    operation = api_schema[path]["POST" if path in BATCHES else "GET"]
    overrides = {"query": query} if query else {}

    @given(case=operation.as_strategy(generation_mode=mode, **overrides))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
