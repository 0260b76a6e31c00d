"""Accepted hits are never lost: the in-process queue writes everything on shutdown; the Redis stream keeps hits
until a consumer has committed them, re-claims a dead consumer's batch, and writes a redelivered batch once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
import redis.asyncio as aioredis
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from domain.analytics.geo import Location
from domain.analytics.ingest import AcceptedHit, IngestPolicy, write_batch
from domain.analytics.models import AnalyticsAction, AnalyticsHit, AnalyticsRejection, AnalyticsVisit
from domain.db import Database
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.analytics.fixtures.tracker import CHROME, count, request, site_of
from tests.conftest import running_app
from tests.support.factories import make_workspace
from tests.support.serving import asgi_client
from workers.analytics.queue import GROUP, InProcessHitQueue, RedisHitQueue


async def test_hits_accepted_just_before_shutdown_are_all_counted_after_the_restart(
    settings_factory: Callable[..., Settings],
) -> None:
    # A long flush interval: nothing is written until the app shuts down.
    settings = settings_factory(analytics_flush_seconds=60, analytics_batch_size=1000)
    async with running_app(settings) as app, asgi_client(app) as client:
        services: AppServices = app.state.services
        ws = await make_workspace(services)
        site = await site_of(services, ws.workspace_id)
        start = datetime.now(UTC) - timedelta(minutes=30)
        for i in range(40):
            query = request("pageview_home", site, at=start + timedelta(seconds=i), _id=f"{i:016x}")
            r = await client.get(f"/matomo.php?{query}", headers={"User-Agent": CHROME})
            assert r.status_code == 204
        later = start + timedelta(seconds=60)
        bulk = ["?" + request("pageview_product", site, at=later, _id=f"{i:016x}") for i in range(10)]
        r = await client.post("/matomo.php", json={"requests": bulk})
        assert r.json()["tracked"] == 10
        queue = app.state.tracking.queue
        assert isinstance(queue, InProcessHitQueue) and queue.pending == 50
        assert await count(services, AnalyticsHit) == 0
    async with running_app(settings) as app:
        services = app.state.services
        assert await count(services, AnalyticsHit) == 50
        assert await count(services, AnalyticsVisit) == 40
        assert await count(services, AnalyticsAction) == 50


async def test_a_failed_batch_write_keeps_the_hits_waiting(services: AppServices) -> None:
    ws = (await make_workspace(services)).workspace_id
    queue = InProcessHitQueue(services.db, IngestPolicy(), flush_seconds=60)
    gone = _hit(str(uuid.uuid4()), "pageview_home")  # a workspace that does not exist (deleted meanwhile)
    await queue.put([_hit(ws, "pageview_home"), gone])
    assert await queue.flush() == 2 and queue.pending == 0
    assert await _count(services.db, AnalyticsHit) == 1  # the other is counted as rejected, not retried for ever
    broken = InProcessHitQueue(Database("sqlite+aiosqlite:////nonexistent/dir/db.sqlite"), IngestPolicy())
    await broken.put([_hit(ws, "pageview_product")])
    with pytest.raises(OperationalError):
        await broken.flush()
    assert broken.pending == 1  # still waiting for the next try
    await broken.db.dispose()


async def test_a_hit_the_database_refuses_does_not_hold_up_the_others(services: AppServices) -> None:
    ws = (await make_workspace(services)).workspace_id
    queue = InProcessHitQueue(services.db, IngestPolicy(), flush_seconds=60)
    refused = _hit(ws, "pageview_product", visitor="0000000000000bad")
    refused = AcceptedHit(refused.ingest_id, ws, refused.received_at, refused.params, user_agent="bad\x00agent")
    await queue.put([_hit(ws, "pageview_home"), refused, _hit(ws, "event_video")])
    assert await queue.flush() == 3 and queue.pending == 0
    async with services.read() as session:
        reasons = dict((await session.execute(select(AnalyticsRejection.reason, AnalyticsRejection.count))).all())
    if services.db.dialect == "postgresql":  # PostgreSQL stores no NUL in text; SQLite does
        assert await _count(services.db, AnalyticsHit) == 2 and reasons == {"unwritable": 1}
    else:
        assert await _count(services.db, AnalyticsHit) == 3 and reasons == {}


# ---- Redis stream ----


def _hit(workspace_id: str, name: str, visitor: str = "5c2f1e8d9a7b3c41") -> AcceptedHit:
    params = dict(parse_qsl(request(name, 1, _id=visitor), keep_blank_values=True))
    return AcceptedHit(
        uuid.uuid4().hex, workspace_id, datetime.now(UTC), params, ip="203.0.113.0", user_agent=CHROME,
        location=Location("US", "CA", None),
    )  # fmt: skip


async def _count(db: Database, model: Any) -> int:
    async with db.session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_redis_stream_hits_are_written_by_the_apps_consumer(
    settings_factory: Callable[..., Settings], redis_url: str
) -> None:
    stream = f"test:analytics:{uuid.uuid4().hex}"
    settings = settings_factory(redis_url=redis_url, analytics_stream=stream, analytics_flush_seconds=0.2)
    try:
        async with running_app(settings) as app, asgi_client(app) as client:
            services: AppServices = app.state.services
            ws = await make_workspace(services)
            site = await site_of(services, ws.workspace_id)
            at = datetime.now(UTC) - timedelta(minutes=5)
            for name in ("pageview_home", "pageview_product", "event_video"):
                r = await client.get(f"/matomo.php?{request(name, site, at=at)}", headers={"User-Agent": CHROME})
                assert r.status_code == 204
            for _ in range(100):
                if await count(services, AnalyticsAction) == 3:
                    break
                await asyncio.sleep(0.05)
            assert await count(services, AnalyticsAction) == 3
            assert await count(services, AnalyticsVisit) == 1
    finally:
        await _drop(redis_url, stream)


async def test_redis_batch_of_a_consumer_that_died_before_acking_is_reclaimed(
    services: AppServices, redis_url: str
) -> None:
    stream = f"test:analytics:{uuid.uuid4().hex}"
    db = services.db
    ws = (await make_workspace(services)).workspace_id
    try:
        hits = [_hit(ws, "pageview_home"), _hit(ws, "pageview_product"), _hit(ws, "event_video")]
        first = RedisHitQueue(redis_url, db, IngestPolicy(), stream=stream, consumer="first")
        await first.ensure_group()
        await first.put(hits)
        # The first consumer reads the batch and dies before writing (or acking) it.
        delivered = await first.redis.xreadgroup(GROUP, "first", {stream: ">"}, count=10)
        assert len(delivered[0][1]) == 3
        await first.redis.aclose()
        patient = RedisHitQueue(redis_url, db, IngestPolicy(), stream=stream, consumer="second", claim_idle_seconds=60)
        assert await patient.process_once() == 0  # not idle long enough to be taken from the first
        await patient.redis.aclose()
        second = RedisHitQueue(redis_url, db, IngestPolicy(), stream=stream, consumer="second", claim_idle_seconds=0)
        assert await second.drain() == 3
        assert await _count(db, AnalyticsHit) == 3 and await _count(db, AnalyticsAction) == 3
        pending = await second.redis.xpending(stream, GROUP)
        assert pending["pending"] == 0 and await second.redis.xlen(stream) == 0
        await second.close()
    finally:
        await _drop(redis_url, stream)


async def test_redis_batch_committed_but_not_acked_is_written_once(services: AppServices, redis_url: str) -> None:
    stream = f"test:analytics:{uuid.uuid4().hex}"
    db = services.db
    ws = (await make_workspace(services)).workspace_id
    try:
        hits = [_hit(ws, "pageview_home"), _hit(ws, "pageview_product")]
        queue = RedisHitQueue(redis_url, db, IngestPolicy(), stream=stream, consumer="c1", claim_idle_seconds=0)
        await queue.ensure_group()
        await queue.put(hits)
        # A crash between the commit and the XACK: the batch is in the database and still pending in Redis.
        await queue.redis.xreadgroup(GROUP, "c1", {stream: ">"}, count=10)
        async with db.write_session() as session:
            result = await write_batch(session, hits, IngestPolicy())
        assert result.written == 2
        assert await queue.drain() == 2  # redelivered ...
        assert await _count(db, AnalyticsHit) == 2  # ... and skipped
        assert await _count(db, AnalyticsAction) == 2 and await _count(db, AnalyticsVisit) == 1
        await queue.close()
    finally:
        await _drop(redis_url, stream)


async def _drop(redis_url: str, stream: str) -> None:
    client: Any = aioredis.from_url(redis_url)
    await client.delete(stream)
    await client.aclose()


async def test_tracking_answers_503_when_the_queue_is_full(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(analytics_max_pending=2, analytics_flush_seconds=60)
    async with running_app(settings) as app, asgi_client(app) as client:
        services: AppServices = app.state.services
        ws = await make_workspace(services)
        site = await site_of(services, ws.workspace_id)
        codes = []
        for _ in range(3):
            r = await client.get(f"/matomo.php?{request('pageview_home', site)}")
            codes.append(r.status_code)
        assert codes == [204, 204, 503]  # refused, not accepted and dropped
