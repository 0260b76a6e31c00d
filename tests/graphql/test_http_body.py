"""GraphQL over HTTP writes its answers with the REST surfaces' encoder (``resolvers.jsonenc.dumps``): compact
UTF-8 JSON, the same values as before; the response's status and headers are Strawberry's."""

from __future__ import annotations

import json

from tests.support.factories import make_workspace
from tests.support.serving import asgi_client

CREATE = """mutation($t: String!) { createProduct(input: {title: $t}) { product { title } userErrors { message } } }"""


async def test_answers_are_compact_utf8_json(app, services) -> None:
    workspace = await make_workspace(services)
    title = 'Café ☕ 😀 "quoted" \\ back'
    async with asgi_client(app) as client:
        response = await client.post(
            "/graphql", headers=workspace.headers(), json={"query": CREATE, "variables": {"t": title}}
        )
        refused = await client.post("/graphql", json={"query": "{ viewer { kind } }"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["data"]["createProduct"] == {"product": {"title": title}, "userErrors": []}
    assert "Café ☕ 😀".encode() in response.content and b"\\u" not in response.content
    assert response.content == json.dumps(response.json(), ensure_ascii=False, separators=(",", ":")).encode()
    # Authentication that stops the whole operation still sets the status.
    assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
