"""API key permissions (the document's choices) and the 60 requests a minute limit."""

from __future__ import annotations

import time
import uuid

import pytest

from domain.accounts.permissions import validate_scopes
from domain.errors import InvalidInput
from resolvers.ratelimit import RedisRateLimiter
from tests.store.conftest import auth, make_key, ok
from tests.support.windows import fresh_window

WRITE_DENIED = {"message": "This token does not have write access."}

WRITES = [
    ("post", "/api/articles", {"title": "x"}),
    ("post", "/api/article-categories", {"title": "x"}),
    ("post", "/api/pages", {"title": "x"}),
    ("post", "/api/users", {"email": "x@example.com"}),
    ("patch", "/api/settings", {"store_niche": "x"}),
    ("patch", "/api/settings/store", {"niche": "x"}),
    ("post", "/api/store/clean", None),
]
READS = [
    "/api/articles",
    "/api/article-categories",
    "/api/pages",
    "/api/users",
    "/api/settings",
    "/api/settings/store",
    "/api/store/info",
    "/api/store/stats",
    "/api/store/warnings",
    "/api/store/locales",
]


def test_document_choices_map_onto_scopes():
    assert validate_scopes(["Full Access"]) == ["full"]
    assert validate_scopes(["Read"]) == ["read"]
    assert validate_scopes(["Write"]) == ["write"]
    assert validate_scopes(["Products: Read", "Offers: Write"]) == ["products:read", "offers:write"]
    assert validate_scopes(["Article Categories: Write"]) == ["articles:write"]
    with pytest.raises(InvalidInput):
        validate_scopes(["Spaceships: Read"])
    with pytest.raises(InvalidInput):
        validate_scopes(["Products: Delete"])


async def test_read_only_key_cannot_write(client, services, workspace):
    key = await make_key(services, workspace, validate_scopes(["Read"]))
    for path in READS:
        ok(await client.get(path, headers=auth(key)))
    for method, path, body in WRITES:
        kwargs = {"json": body} if body is not None else {}
        r = await getattr(client, method)(path, headers=auth(key), **kwargs)
        assert r.status_code == 403 and r.json() == WRITE_DENIED, (method, path, r.text)
    # Nothing was written.
    assert ok(await client.get("/api/articles", headers=auth(key)))["meta"]["total"] == 0
    assert ok(await client.get("/api/settings/store", headers=auth(key)))["data"]["niche"] is None


async def test_per_resource_keys_are_limited_to_their_resource(client, services, workspace):
    pages_rw = await make_key(services, workspace, validate_scopes(["Pages: Write"]))
    ok(await client.post("/api/pages", headers=auth(pages_rw), json={"title": "Allowed"}), 201)
    ok(await client.get("/api/pages", headers=auth(pages_rw)))
    for path in ("/api/articles", "/api/settings", "/api/users", "/api/store/stats"):
        r = await client.get(path, headers=auth(pages_rw))
        assert r.status_code == 403 and set(r.json()) == {"message"}, path
    articles_ro = await make_key(services, workspace, validate_scopes(["Articles: Read"]))
    ok(await client.get("/api/articles", headers=auth(articles_ro)))
    ok(await client.get("/api/article-categories", headers=auth(articles_ro)))
    r = await client.post("/api/articles", headers=auth(articles_ro), json={"title": "x"})
    assert r.status_code == 403 and r.json() == WRITE_DENIED
    r = await client.get("/api/pages", headers=auth(articles_ro))
    assert r.status_code == 403


async def _exhaust(client, key: str, path: str = "/api/store/stats") -> None:
    for i in range(60):
        r = await client.get(path, headers=auth(key))
        assert r.status_code == 200, (i, r.text)
        assert r.headers["X-RateLimit-Limit"] == "60"
        assert r.headers["X-RateLimit-Remaining"] == str(59 - i)
    r = await client.get(path, headers=auth(key))
    assert r.status_code == 429
    assert r.json() == {"message": "Too Many Attempts."}
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(r.headers["Retry-After"]) <= 60
    assert int(r.headers["X-RateLimit-Reset"]) > time.time()


async def test_sixty_requests_a_minute_per_key(client, services, workspace):
    await fresh_window(10)
    key = await make_key(services, workspace, ["full"])
    await _exhaust(client, key)
    # Writes are refused as well, and nothing is written.
    r = await client.post("/api/articles", headers=auth(key), json={"title": "late"})
    assert r.status_code == 429
    # Another key of the same store has its own budget; the public status endpoint has none.
    ok(await client.get("/api/articles", headers=auth(workspace.api_key)))
    assert ok(await client.get("/api/articles", headers=auth(workspace.api_key)))["meta"]["total"] == 0
    ok(await client.get("/api/store/status"))


async def test_redis_rate_limiter(redis_url):
    limiter = RedisRateLimiter(redis_url, prefix=f"test:{uuid.uuid4().hex}:")
    try:
        await fresh_window(2)
        decisions = [await limiter.hit("k", 2) for _ in range(3)]
        assert [d.allowed for d in decisions] == [True, True, False]
        assert [d.remaining for d in decisions] == [1, 0, 0]
        assert (await limiter.hit("other", 2)).allowed
    finally:
        await limiter.close()


async def test_store_surface_on_redis_limiter(client, services, workspace, redis_url):
    """The same 60/min through the app when the counts live in Redis (shared by every server process)."""
    limiter = RedisRateLimiter(redis_url, prefix=f"test:{uuid.uuid4().hex}:")
    previous, services.rate_limiter = services.rate_limiter, limiter
    try:
        await fresh_window(10)
        key = await make_key(services, workspace, ["read"])
        await _exhaust(client, key, "/api/pages")
    finally:
        services.rate_limiter = previous
        await limiter.close()


async def test_key_created_with_the_documents_permission_labels(client, workspace):
    from tests.support.graphql import gql

    mutation = """mutation($input: CreateApiKeyInput!) {
      createApiKey(input: $input) { secret apiKey { scopes } userErrors { field message } } }"""
    _, body = await gql(
        client,
        mutation,
        {"input": {"name": "shop sync", "scopes": ["Products: Read", "Offers: Write"]}},
        token=workspace.api_key,
    )
    created = body["data"]["createApiKey"]
    assert created["userErrors"] == [] and created["apiKey"]["scopes"] == ["products:read", "offers:write"]
    headers = {"Authorization": f"Bearer {created['secret']}"}
    assert (await client.get("/api/products", headers=headers)).status_code == 200
    denied = await client.post("/api/products", json={"title": "X"}, headers=headers)
    assert denied.status_code == 403 and denied.json() == {"message": "This token does not have write access."}
    assert (await client.get("/api/articles", headers=headers)).status_code == 403

    _, body = await gql(
        client, mutation, {"input": {"name": "bad", "scopes": ["Spaceships: Read"]}}, token=workspace.api_key
    )
    assert body["data"]["createApiKey"]["userErrors"][0]["field"] == "scopes"
