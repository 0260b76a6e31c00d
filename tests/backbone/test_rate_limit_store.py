"""When the limiters' Redis cannot be reached, rate-limited routes keep serving (failing open: uncounted, a
warning logged at most once a minute, counted in /metrics), on REST and GraphQL alike; and once Redis answers
again the limits apply again by themselves. Real Redis clients throughout: a closed port, and a TCP relay to
the test Redis that is stopped and started again on the same port."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from resolvers.context import AppServices
from resolvers.ratelimit import RedisCostBucket, RedisRateLimiter, StoreGuard
from tests.accounts.test_key_rate_limits import create_key, store_answers
from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql
from tests.support.serving import free_port
from tests.support.windows import fresh_window

VIEWER = "{ viewer { kind } }"


@contextlib.asynccontextmanager
async def limiters(
    services: AppServices, url: str, *, retry_seconds: float = 2.0, capacity: int = 1000, restore_rate: float = 50.0
) -> AsyncIterator[tuple[RedisRateLimiter, RedisCostBucket]]:
    """The app's request limiter and GraphQL cost bucket on the Redis at ``url``, for the block."""
    prefix = f"test:{uuid.uuid4().hex}:"
    limiter = RedisRateLimiter(url, prefix=prefix + "rl:", retry_seconds=retry_seconds)
    bucket = RedisCostBucket(url, capacity, restore_rate, prefix + "c:", retry_seconds=retry_seconds)
    saved = services.rate_limiter, services.cost_bucket
    services.rate_limiter, services.cost_bucket = limiter, bucket
    try:
        yield limiter, bucket
    finally:
        services.rate_limiter, services.cost_bucket = saved
        await limiter.close()
        await bucket.close()


async def test_rest_and_graphql_keep_serving_when_the_limiters_redis_is_unreachable(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: connections are refused
    caplog.set_level(logging.INFO, logger="resolvers.ratelimit")
    async with limiters(services, closed):
        key = await create_key(client, workspace.access_token, rateLimitPerMinute=2)  # a GraphQL mutation
        answers = await store_answers(client, key["secret"], 5)  # past the key's own limit of 2
        assert [a.status_code for a in answers] == [200] * 5
        assert "X-RateLimit-Limit" not in answers[-1].headers  # nothing was counted: no figures to give
        for _ in range(3):
            status, body = await gql(client, VIEWER, token=workspace.api_key)
            assert status == 200 and body["data"] == {"viewer": {"kind": "api_key"}}, body
        # Failed authentication is not limited either while the store is away: 401, never 429 or 500.
        bad = [await client.get("/api/products", headers={"Authorization": "Bearer swk_wrong"}) for _ in range(25)]
        assert {a.status_code for a in bad} == {401}
        metrics = (await client.get("/metrics")).text
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "resolvers.ratelimit"]
    # One warning per limiter (requests, GraphQL cost), however many requests went through uncounted.
    assert sorted(str(getattr(r, "limiter", "")) for r in warnings) == ["graphql_cost", "requests"], warnings
    counts = {
        line.split("{")[1].split("}")[0]: float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("shopwright_rate_limiter_unavailable_total{")
    }
    assert counts['limiter="requests"'] >= 5 + 25 and counts['limiter="graphql_cost"'] >= 4, counts


class Relay:
    """A TCP relay on a fixed loopback port to a Redis server: ``stop()`` closes the port (and every relayed
    connection), ``start()`` opens it again."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port_to = parts.hostname or "127.0.0.1", parts.port or 6379
        self.db = parts.path or "/0"
        self.port = free_port()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.db}"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self.writers):
                writer.close()
            await self.server.wait_closed()
            self.server = None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port_to)
        self.writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            self.writers.difference_update((writer, up_writer))


async def test_the_limits_apply_again_once_redis_answers(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, redis_url: str
) -> None:
    relay = Relay(redis_url)
    await relay.start()
    try:
        key = await create_key(client, workspace.access_token, rateLimitPerMinute=3)
        async with limiters(services, relay.url, retry_seconds=0.2, capacity=3, restore_rate=0.001):
            await fresh_window(15)
            assert [a.status_code for a in await store_answers(client, key["secret"], 1)] == [200]  # counted
            await relay.stop()  # Redis is gone: served, uncounted
            assert [a.status_code for a in await store_answers(client, key["secret"], 5)] == [200] * 5
            statuses = [(await gql(client, VIEWER, token=workspace.api_key))[0] for _ in range(5)]
            assert statuses == [200] * 5
            await relay.start()  # back: after the limiter's pause, counted again from where Redis left it
            await asyncio.sleep(0.3)
            answers = await store_answers(client, key["secret"], 3)
            assert [a.status_code for a in answers] == [200, 200, 429]
            assert answers[0].headers["X-RateLimit-Limit"] == "3" and "Retry-After" in answers[-1].headers
            refused = None
            for _ in range(5):  # the bucket holds 3 points, restored at 0.001 a second: it runs out
                status, body = await gql(client, VIEWER, token=workspace.api_key)
                if status == 429:
                    refused = body
                    break
            assert refused is not None and refused["errors"][0]["extensions"]["code"] == "THROTTLED"
    finally:
        await relay.stop()


def test_one_caller_tries_a_store_that_failed_again_while_the_others_go_on_without_it() -> None:
    now = [100.0]
    guard = StoreGuard("requests", retry_seconds=2.0, clock=lambda: now[0])
    assert guard.usable()
    guard.failed(ConnectionError("refused"))
    assert not guard.usable()  # resting
    now[0] += 2.5
    assert guard.usable()  # this one asks the store again ...
    assert not guard.usable() and not guard.usable()  # ... the others, meanwhile, do not wait on it
    assert guard.unavailable == 4  # the failure and the three decisions made without the store
    guard.succeeded()
    assert guard.usable() and guard.usable()
    # A probe that never answers (a timeout that did not raise here) gives the store another try after a rest.
    guard.failed(TimeoutError("timed out"))
    now[0] += 2.5
    assert guard.usable()
    now[0] += 2.5
    assert guard.usable()
