"""Schemathesis over the OpenAPI document each REST surface serves: a few hundred cases a surface (fixed seed),
input the schema allows and input it does not. No answer is a server error, every status is one the
operation documents, and every body fits the schema documented for its status and content type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.engine import fuzz
from tests.fuzz.seeds import Seeds
from tests.support.factories import WorkspaceInfo

SURFACES = ["/api", "/brandbrain", "/v1", "/listing/api", "/api/v1/workspace", "/swm/rs/v1"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The key is always sent: a case without it only proves the 401 tests/backbone/test_identity.py proves.
CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})


def documented_unavailable(case: Case[Any], failure: Exception, response: httpx.Response) -> bool:
    """A 5xx that is an operation's documented answer, not a crash: 501 for what a surface does not offer, 503
    ``provider_required`` for an AI operation when no model is configured (the fuzz app runs offline)."""
    return (
        isinstance(failure, ServerError)
        and response.status_code in (501, 503)
        and str(response.status_code) in case.operation.responses.status_codes
    )


def openapi_problems(case: Case[Any], response: httpx.Response) -> list[tuple[str, str]]:
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        return [
            (failure.title, failure.message)
            for failure in group.exceptions
            if not documented_unavailable(case, failure, response)
        ]
    return []


@pytest.mark.parametrize("prefix", SURFACES)
async def test_every_drawn_request_is_answered_as_documented(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, seeds: Seeds, backend: str, prefix: str
) -> None:
    document = (await client.get(f"{prefix}/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document, config=CONFIG)
    run = await fuzz(
        prefix, backend, schema, client, workspace.headers(), openapi_problems, tweak=seeds.tweak(document)
    )
    assert run.total >= 200, run.summary()
    if run.findings:
        pytest.fail(run.report(), pytrace=False)
