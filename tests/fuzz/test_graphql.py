"""Schemathesis over the GraphQL schema the app serves (read by introspection): a few hundred documents drawn
from every query and mutation field with arguments that fit the schema and arguments that do not (fixed
seed). No answer is a server error — no 5xx, no ``INTERNAL_SERVER_ERROR``, no error without a code — every
HTTP status is one the error table documents (docs/graphql.md), and every answer is a GraphQL response that
keeps the schema's promises (a JSON object; no null in a non-null field)."""

from __future__ import annotations

import json
from typing import Any

import graphql
import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.core.failures import FailureGroup
from schemathesis.graphql import nodes
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.fuzz.engine import fuzz
from tests.fuzz.seeds import Seeds
from tests.support.factories import WorkspaceInfo

DOCUMENTED_STATUSES = {200, 400, 401, 403, 413, 429}


def json_values() -> st.SearchStrategy[graphql.ValueNode]:
    """Literals for the JSON scalar: any JSON value, objects keyed by GraphQL names."""
    names = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
    leaves = st.one_of(
        st.just(nodes.Null),
        st.booleans().map(nodes.Boolean),
        st.integers(-(10**9), 10**9).map(nodes.Int),
        st.text(max_size=20).map(nodes.String),
    )

    def fields(values: dict[str, graphql.ValueNode]) -> graphql.ValueNode:
        return nodes.Object(
            [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in values.items()]
        )

    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(nodes.List), st.dictionaries(names, inner, max_size=3).map(fields)
        ),
        max_leaves=8,
    )


def as_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def graphql_problems(case: Case[Any], response: httpx.Response) -> list[tuple[str, str]]:
    problems = []
    if response.status_code not in DOCUMENTED_STATUSES:
        kind = "Server error" if response.status_code >= 500 else "Undocumented status"
        problems.append((f"{kind} {response.status_code}", response.text[:600]))
    body = as_json(response)
    for error in (body.get("errors") if isinstance(body, dict) else None) or []:
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if code in (None, "INTERNAL_SERVER_ERROR"):
            problems.append((f"Server error ({code or 'an error without a code'})", json.dumps(error)))
    try:
        case.validate_response(response, checks=[response_schema_conformance])
    except FailureGroup as group:
        problems.extend((failure.title, failure.message) for failure in group.exceptions)
    return problems


async def test_every_drawn_document_is_answered_as_documented(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, seeds: Seeds, backend: str
) -> None:
    introspection = await client.post(
        "/graphql", json={"query": graphql.get_introspection_query()}, headers=workspace.headers()
    )
    schemathesis.graphql.scalar("JSON", json_values())
    # Ids: half the time one of a seeded row, else any string.
    schemathesis.graphql.scalar("ID", st.one_of(st.sampled_from(seeds.graphql), st.text(max_size=40)).map(nodes.String))
    schema = schemathesis.graphql.from_dict(introspection.json(), config=schemathesis.Config())
    run = await fuzz("/graphql", backend, schema, client, workspace.headers(), graphql_problems, base_path="/graphql")
    assert run.total >= 200, run.summary()
    if run.findings:
        pytest.fail(run.report(), pytrace=False)
