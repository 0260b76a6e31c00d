"""An API key may carry its own rate limit (a trusted integration's allowance): set when the key is created
(only by callers who may manage keys, within bounds), shown on the key, and used by every REST surface instead
of the route group's limit; 0 lifts the limit."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql
from tests.support.windows import fresh_window

CREATE = """mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { name rateLimitPerMinute } userErrors { field code message } } }"""
KEYS = "{ workspace { apiKeys { name rateLimitPerMinute } } }"


async def create_key(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    status, body = await gql(client, CREATE, {"input": {"name": "Integration", "scopes": ["full"], **fields}}, token)
    assert status == 200 and "errors" not in body, body
    payload: dict[str, Any] = body["data"]["createApiKey"]
    return payload


async def store_answers(client: httpx.AsyncClient, token: str, n: int) -> list[httpx.Response]:
    return [await client.get("/api/products", headers={"Authorization": f"Bearer {token}"}) for _ in range(n)]


async def test_a_key_with_its_own_limit_is_refused_past_it_while_another_keeps_the_default(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    slow = await create_key(client, workspace.access_token, rateLimitPerMinute=5)
    assert slow["userErrors"] == [] and slow["apiKey"]["rateLimitPerMinute"] == 5
    await fresh_window(10)
    answers = await store_answers(client, slow["secret"], 6)
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0].headers["X-RateLimit-Limit"] == "5" and "Retry-After" in answers[-1].headers
    assert "message" in answers[-1].json()  # the store's own 429 body
    # The workspace's default key, in the same window, keeps the store's limit (60 a minute).
    others = await store_answers(client, workspace.api_key, 6)
    assert [a.status_code for a in others] == [200] * 6
    assert others[0].headers["X-RateLimit-Limit"] == "60"
    _, listed = await gql(client, KEYS, token=workspace.access_token)
    limits = {k["name"]: k["rateLimitPerMinute"] for k in listed["data"]["workspace"]["apiKeys"]}
    assert limits == {"Default key": None, "Integration": 5}


async def test_zero_lifts_the_limit(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    free = await create_key(client, workspace.access_token, rateLimitPerMinute=0)
    assert free["apiKey"]["rateLimitPerMinute"] == 0
    await fresh_window(20)
    answers = await store_answers(client, free["secret"], 65)  # past the store's 60 a minute
    assert {a.status_code for a in answers} == {200}
    assert "X-RateLimit-Limit" not in answers[-1].headers


async def test_bad_values_and_callers_who_may_not_manage_keys_are_refused(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    for bad in (-1, 100_001):
        payload = await create_key(client, workspace.access_token, rateLimitPerMinute=bad)
        assert payload["apiKey"] is None and payload["secret"] is None
        assert [e["field"] for e in payload["userErrors"]] == ["rateLimitPerMinute"], payload
    status, body = await gql(
        client, CREATE, {"input": {"name": "x", "scopes": ["full"], "rateLimitPerMinute": "many"}}, workspace.api_key
    )
    assert "errors" in body  # not an integer: refused by the schema
    reader = await create_key(client, workspace.access_token, scopes=["read"])
    status, body = await gql(
        client, CREATE, {"input": {"name": "x", "scopes": ["read"], "rateLimitPerMinute": 0}}, reader["secret"]
    )
    assert status == 403 and body["data"] is None and "write access" in body["errors"][0]["message"]
