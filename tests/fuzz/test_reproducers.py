"""The hardening reproducers on the surfaces their own tests leave out (tests/backbone/test_malformed_json.py,
test_text_input.py, test_bad_input.py and tests/catalog/test_node.py hold the rest): NaN and Infinity in the
content services' JSON and in GraphQL JSON variables, deep nesting and huge numbers inside a GraphQL JSON
literal, NUL characters and unpaired surrogates in a store path. Each is refused as bad input, never a 5xx,
and leaves nothing behind."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.factories import WorkspaceInfo

SAVE_SETTINGS = "mutation($v: JSON!) { updateStoreSettings(values: $v) { userErrors { field message } } }"


@pytest.fixture
def h(workspace: WorkspaceInfo) -> dict[str, str]:
    return {**workspace.headers(), "content-type": "application/json"}


async def configs(client: httpx.AsyncClient, h: dict[str, str]) -> list[Any]:
    response = await client.get("/brandbrain/content-configs", headers=h)
    assert response.status_code == 200, response.text
    listed: list[Any] = response.json()
    return listed


@pytest.mark.parametrize(
    "content_config", [b'{"guidelines": [NaN]}', b'{"word_map": {"a": Infinity}}', b'{"restrictions": -Infinity}']
)
async def test_nan_and_infinity_in_a_content_configuration_are_refused(
    client: httpx.AsyncClient, h: dict[str, str], content_config: bytes
) -> None:
    before = await configs(client, h)
    body = b'{"name": "lamps", "description": "d", "content_config": ' + content_config + b"}"
    response = await client.post("/brandbrain/content-configs", headers=h, content=body)
    assert response.status_code == 400 and response.json()["code"] == "bad_request", response.text
    assert await configs(client, h) == before


@pytest.mark.parametrize(
    ("setting", "value"),
    [("product_per_page", b"NaN"), ("product_per_page", b"Infinity"), ("store_enabled_countries", b"[-Infinity]")],
)
async def test_nan_and_infinity_in_graphql_json_variables_are_refused(
    client: httpx.AsyncClient, h: dict[str, str], setting: str, value: bytes
) -> None:
    before = (await client.get("/api/settings", headers=h)).json()
    body = json.dumps({"query": SAVE_SETTINGS, "variables": {"v": {setting: "__VALUE__"}}}).encode()
    response = await client.post("/graphql", headers=h, content=body.replace(b'"__VALUE__"', value))
    answer = response.json()
    assert response.status_code == 200, answer
    assert answer["data"]["updateStoreSettings"]["userErrors"][0]["field"] == setting, answer
    assert (await client.get("/api/settings", headers=h)).json() == before


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        ("[" * 3000 + "]" * 3000, "GRAPHQL_PARSE_FAILED"),
        ("{product_per_page: " + "9" * 5000 + "}", None),  # a number the setting refuses, as a userError
        ("{product_per_page: 1e400}", None),
    ],
    ids=["nested 3,000 deep", "a 5,000-digit integer", "a float past the largest double"],
)
async def test_graphql_json_literals_past_any_reason_are_refused(
    client: httpx.AsyncClient, h: dict[str, str], literal: str, code: str | None
) -> None:
    before = (await client.get("/api/settings", headers=h)).json()
    document = "mutation { updateStoreSettings(values: %s) { userErrors { field message } } }" % literal  # noqa: UP031
    response = await client.post("/graphql", headers=h, content=json.dumps({"query": document}).encode())
    answer = response.json()
    assert response.status_code == 200, answer
    if code:
        assert answer["data"] is None and {e["extensions"]["code"] for e in answer["errors"]} == {code}, answer
    else:
        assert answer["data"]["updateStoreSettings"]["userErrors"][0]["field"] == "product_per_page", answer
    assert (await client.get("/api/settings", headers=h)).json() == before


@pytest.mark.parametrize("raw", ["a%00b", "%ED%A0%80", "%FF"], ids=["NUL", "surrogate", "not UTF-8"])
async def test_store_paths_with_such_characters_name_nothing(
    client: httpx.AsyncClient, h: dict[str, str], raw: str
) -> None:
    for path in (f"/api/settings/{raw}", f"/api/products/{raw}", f"/api/users/{raw}"):
        response = await client.get(path, headers=h)
        assert response.status_code == 404 and response.json() == {"message": "The API resource was not found"}, (
            path,
            response.text,
        )
    response = await client.patch(f"/api/settings/{raw}", headers=h, content=b'{"name": "x"}')
    assert response.status_code == 404, response.text
