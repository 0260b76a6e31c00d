"""Strings that cannot be stored as text — a NUL character (PostgreSQL refuses it), an unpaired surrogate (no
encoder writes it) — are refused as bad input on every surface and in GraphQL, on both engines, and change
nothing. They used to be 500s."""

from __future__ import annotations

import json

import pytest

from tests.backbone.support import row_counts

# JSON as a client sends it: the escapes stay escapes in the body.
ESCAPED = {"NUL": "\\u0000", "surrogate": "\\ud800"}


@pytest.fixture
def h(workspace):
    return {**workspace.headers(), "content-type": "application/json"}


@pytest.mark.parametrize("escape", ESCAPED.values(), ids=list(ESCAPED))
async def test_json_bodies_with_such_strings_are_refused(client, services, workspace, h, escape):
    before = await row_counts(services)
    product = (await client.post("/api/products", headers=h, json={"title": "Lamp"})).json()["data"]["id"]
    requests = [
        ("POST", "/api/brands", '{"title": "x%s"}'),
        ("PATCH", f"/api/products/{product}", '{"summary": "%s"}'),
        ("PATCH", "/api/settings", '{"store_name%s": "x"}'),
        ("POST", "/brandbrain/content-configs", '{"name": "brandx", "description": "%s", "content_config": {}}'),
    ]
    for method, path, template in requests:
        response = await client.request(method, path, headers=h, content=(template % escape).encode())
        expected = 400 if path.startswith("/brandbrain") else 422  # each surface's status for bad input
        assert response.status_code == expected, (path, response.text)
        assert "Malformed JSON" in response.text or "invalid_json" in response.text, (path, response.text)
    assert (await client.get(f"/api/products/{product}", headers=h)).json()["data"]["summary"] is None
    assert await row_counts(services) == before


async def test_query_and_path_parameters_with_a_nul_are_refused(client, h):
    r = await client.get("/api/products?search=%00", headers=h)
    assert r.status_code == 422 and list(r.json()["errors"]) == ["search"], r.text
    r = await client.get("/api/users/login-link?email=a%00@b.c", headers=h)
    assert r.status_code == 422 and list(r.json()["errors"]) == ["email"], r.text
    r = await client.get("/v1/jobs?kind=%00", headers=h)
    assert r.status_code == 422 and r.json()["code"] == "invalid_input", r.text
    r = await client.get("/brandbrain/content-configs/a%00b", headers=h)
    assert r.status_code == 404 and r.json()["code"] == "not_found", r.text


@pytest.mark.parametrize("char", ["\u0000", "\ud800"], ids=list(ESCAPED))
async def test_graphql_refuses_such_strings_in_variables_and_in_the_document(client, services, h, char):
    before = await row_counts(services)
    create = "mutation($t: String!) { createBrand(input: {title: $t}) { brand { title } } }"
    # json.dumps writes the character as an escape (ASCII JSON), as a client's encoder would.
    body = json.dumps({"query": create, "variables": {"t": f"x{char}"}})
    response = await client.post("/graphql", headers=h, content=body.encode())
    assert response.status_code == 400 and "Malformed JSON" in response.text, response.text
    # In the document itself the JSON is fine; the GraphQL string (an escape GraphQL decodes) is not.
    escape = json.dumps(char)[1:-1]  # the six characters \u0000 or \ud800
    document = '{ products(filter: {search: "%s"}) { totalCount } }' % escape  # noqa: UP031
    response = await client.post("/graphql", headers=h, content=json.dumps({"query": document}).encode())
    body_json = response.json()
    assert body_json.get("data") is None, body_json
    # (graphql-core refuses a lone surrogate escape itself, when it parses the document)
    expected = {"BAD_USER_INPUT"} if char == "\u0000" else {"GRAPHQL_PARSE_FAILED"}
    assert {e["extensions"]["code"] for e in body_json["errors"]} == expected, body_json
    assert await row_counts(services) == before
