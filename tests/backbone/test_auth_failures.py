"""Failed authentication is limited per client address (SHOPWRIGHT_AUTH_FAILURES_PER_MINUTE, 20 by default):
past the limit every surface answers 429 with Retry-After in its own error body, valid credentials included,
while other addresses are served. Only failures are counted: a request that authenticates makes no limiter
call. On the memory limiter and on Redis."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.applications import Starlette

from resolvers.context import AppServices
from resolvers.ratelimit import MemoryRateLimiter, RedisRateLimiter
from shopwright.settings import Settings
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.graphql import gql
from tests.support.windows import fresh_window

LIMIT = 3
WRONG = {"Authorization": "Bearer swk_not-a-key-of-anyone"}


@pytest.fixture(params=["memory", "redis"])
def limiter_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    if kind == "redis":
        request.getfixturevalue("redis_url")  # skipped without a test Redis (required in CI)
    return kind


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(auth_failures_per_minute=LIMIT)


@pytest.fixture
async def limiter(services: AppServices, limiter_kind: str, request: pytest.FixtureRequest) -> AsyncIterator[object]:
    """The app's limiter, fresh: the memory one, or one on the test Redis with its own key prefix."""
    if limiter_kind == "memory":
        services.rate_limiter = MemoryRateLimiter()
        yield services.rate_limiter
        return
    redis = RedisRateLimiter(request.getfixturevalue("redis_url"), prefix=f"test:{uuid.uuid4().hex}:")
    saved, services.rate_limiter = services.rate_limiter, redis
    try:
        yield redis
    finally:
        services.rate_limiter = saved
        await redis.close()


@contextlib.asynccontextmanager
async def from_address(app: Starlette, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def counted(limiter: object, address: str) -> int:
    """The failures the limiter holds for ``address`` in this window."""
    if isinstance(limiter, MemoryRateLimiter):
        return sum(n for (key, _), n in limiter._counts.items() if key == f"auth-failures:{address}")
    assert isinstance(limiter, RedisRateLimiter)
    keys = [k async for k in limiter._client.scan_iter(f"{limiter._prefix}auth-failures:{address}:*")]
    return sum([int(await limiter._client.get(k) or 0) for k in keys])


async def test_past_the_limit_every_surface_answers_429_for_the_address_only(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo, limiter: object
) -> None:
    await fresh_window(20)
    async with from_address(app, "203.0.113.7") as client, from_address(app, "203.0.113.8") as other:
        answers = [await client.get("/api/products", headers=WRONG) for _ in range(LIMIT + 1)]
        assert [a.status_code for a in answers] == [401] * LIMIT + [429]
        refused = answers[-1]
        assert refused.json() == {"message": "Too Many Attempts."}  # the store's own 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        # Now even valid credentials are refused from this address, before they are checked, on every surface.
        valid = workspace.headers()
        store = await client.get("/api/products", headers=valid)
        assert store.status_code == 429 and "Retry-After" in store.headers
        content = await client.get("/brandbrain/jobs", headers={"x-api-key": workspace.api_key})
        assert content.status_code == 429 and content.json()["code"] == "rate_limited"
        listing = await client.get("/listing/api/products", headers=valid)
        assert listing.status_code == 429 and listing.json()["error"] == "rate_limited"
        jobs = await client.get("/v1/jobs", headers=valid)
        assert jobs.status_code == 429 and "Retry-After" in jobs.headers
        status, body = await gql(client, "{ viewer { kind } }", token=workspace.api_key)
        assert status == 429 and not any((body["data"] or {}).values()), body
        assert body["errors"][0]["extensions"]["status"] == 429
        graphql = await client.post("/graphql", json={"query": "{ viewer { kind } }"}, headers=valid)
        assert "Retry-After" in graphql.headers
        assert graphql.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "status": 429}
        # A request without credentials guesses nothing: still served where it needs none.
        assert (await client.get("/api/store/status")).status_code == 200
        # Another address is not held back, and its own failures are its own.
        assert (await other.get("/api/products", headers=valid)).status_code == 200
        assert (await other.get("/api/products", headers=WRONG)).status_code == 401
    assert await counted(limiter, "203.0.113.8") == 1


async def test_only_failures_are_counted_once_each_and_graphql_counts_like_rest(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo, limiter: object
) -> None:
    await fresh_window(20)
    address = f"198.51.100.{uuid.uuid4().int % 200 + 1}"
    async with from_address(app, address) as client:
        for _ in range(5 * LIMIT):  # any number of successes: nothing counted, nothing refused
            assert (await client.get("/api/products", headers=workspace.headers())).status_code == 200
            status, _ = await gql(client, "{ viewer { kind } }", token=workspace.access_token)
            assert status == 200
        assert await counted(limiter, address) == 0
        # A GraphQL operation whose fields each need the caller asks for it several times: one failure.
        query = "{ viewer { kind } workspace { name } }"
        for i in range(LIMIT):
            status, body = await gql(client, query, token="swk_wrong")
            assert status == 401, (i, body)
            assert await counted(limiter, address) == i + 1
        status, body = await gql(client, query, token="swk_wrong")
        assert status == 429 and body["errors"][0]["extensions"]["status"] == 429


async def test_x_forwarded_for_names_the_client_only_behind_a_trusted_proxy(
    settings_factory: Callable[..., Settings], limiter_kind: str, request: pytest.FixtureRequest
) -> None:
    from tests.conftest import make_test_registry, running_app

    await fresh_window(20)
    for trusted, expected in (("", [401] * LIMIT + [429]), ("127.0.0.0/8", [401] * (LIMIT + 1))):
        settings = settings_factory(auth_failures_per_minute=LIMIT, auth_trusted_proxies=trusted or None)
        async with running_app(settings, make_test_registry) as app:
            services: AppServices = app.state.services
            if limiter_kind == "redis":
                redis = RedisRateLimiter(request.getfixturevalue("redis_url"), prefix=f"test:{uuid.uuid4().hex}:")
                services.rate_limiter = redis
            async with from_address(app, "127.0.0.1") as client:
                statuses = []
                for i in range(LIMIT + 1):  # each says it forwards another client
                    headers = {**WRONG, "X-Forwarded-For": f"192.0.2.{i + 1}"}
                    statuses.append((await client.get("/api/products", headers=headers)).status_code)
            if limiter_kind == "redis":
                await redis.close()
        # Untrusted, the header is the client's word and is ignored; from a trusted proxy it names the client.
        assert statuses == expected, trusted


async def test_the_limit_is_a_setting_on_by_default(settings_factory: Callable[..., Settings]) -> None:
    from tests.conftest import make_test_registry, running_app

    assert Settings().auth_failures_per_minute == 20
    await fresh_window(20)
    async with running_app(settings_factory(auth_failures_per_minute=0), make_test_registry) as app:
        services: AppServices = app.state.services
        await make_workspace(services)
        async with from_address(app, "192.0.2.50") as client:
            statuses = {(await client.get("/api/products", headers=WRONG)).status_code for _ in range(25)}
    assert statuses == {401}  # 0: no limit


async def test_a_websocket_from_an_address_with_too_many_failures_is_rejected(
    settings_factory: Callable[..., Settings],
) -> None:
    """Over a real server: connection_init credentials count like any others, and once the address is over its
    limit a connection with valid ones is rejected too (and its HTTP requests answer 429)."""
    import json

    import websockets

    from tests.conftest import live_app, make_test_registry

    async def init(url: str, token: str) -> str:
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
            try:
                reply = json.loads(await ws.recv())
            except websockets.ConnectionClosed as closed:
                return f"closed {closed.rcvd.code if closed.rcvd else None}"
            return str(reply["type"])

    await fresh_window(20)
    async with live_app(settings_factory(auth_failures_per_minute=LIMIT), make_test_registry) as live:
        workspace = await make_workspace(live.services)
        assert await init(live.ws_url, workspace.api_key) == "connection_ack"
        rejected = [await init(live.ws_url, "swk_wrong") for _ in range(LIMIT + 1)]
        assert all(r.startswith("closed") for r in rejected), rejected
        assert (await init(live.ws_url, workspace.api_key)).startswith("closed")
        async with httpx.AsyncClient(base_url=live.url) as client:
            refused = await client.get("/api/products", headers=workspace.headers())
        assert refused.status_code == 429 and "Retry-After" in refused.headers
