"""Progress reports are written by group commit (issue 13): reports made while a write is in flight go into the
next transaction together, in the order they were made, under one lock of the job row and in one insert, so
many concurrent reporters (a bulk AI job's products) cost a few transactions instead of one each and none of
them waits in a lock held across a transaction. The job's events stay gap-free and ordered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette

from domain.db import NullDispatcher
from domain.jobs.registry import JobCancelled
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.content.conftest import content_registry
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo
from tests.support.jobs import events_of
from tests.support.statements import every_statement as statements
from workers.executor import RunningJob
from workers.runtime import Runtime


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    """The app with the content job kinds too (and the test kinds), offline."""
    async with app_pool.use(settings, content_registry) as application:
        yield application


async def running_job(app: Starlette, services: AppServices, ws: WorkspaceInfo) -> RunningJob[Any]:
    """A processing job and the context its handler would get (created and claimed without the runner)."""
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        service = JobService(uow)
        job = await service.create(ws.principal, kind=jobkinds.STEPS, params={"steps": 1})
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        claimed = await JobService(uow).claim(job.id)
        assert claimed is not None
    runtime: Runtime = app.state.runtime
    params = jobkinds.StepsParams(steps=1)
    return RunningJob(runtime, job_id=job.id, workspace_id=ws.workspace_id, kind="test.steps", params=params, attempt=1)


async def test_concurrent_reports_share_one_transaction_in_call_order(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo
) -> None:
    ctx = await running_job(app, services, workspace)
    reporters = 20
    with statements(services) as seen:
        await asyncio.gather(*(ctx.progress((i + 1) / reporters, f"item {i}", {"i": i}) for i in range(reporters)))
    # One update of the job row (which locks it and takes the events' sequence numbers: no SELECT ... FOR UPDATE
    # before it), one insert of every event (before batching: 20 of each; before the update locked: one SELECT).
    assert sum(1 for s in seen if s.startswith("SELECT") and "FROM JOBS" in s) == 0
    assert [s for s in seen if s.startswith("UPDATE JOBS")] == [s for s in seen if "JOBS" in s and "EVENTS" not in s]
    assert sum(1 for s in seen if s.startswith("UPDATE JOBS") and "RETURNING" in s) == 1
    assert sum(1 for s in seen if s.startswith("INSERT INTO JOB_EVENTS")) == 1
    assert len([s for s in seen if not s.startswith("BEGIN")]) == 2  # (SQLite's BEGIN IMMEDIATE is a statement)
    events = await events_of(services, ctx.job_id)
    assert [e.seq for e in events] == list(range(1, reporters + 3))  # queued, processing, then the reports
    progress = [e for e in events if e.type == "progress"]
    assert [e.data for e in progress] == [{"i": i} for i in range(reporters)]
    assert [e.progress for e in progress] == sorted(e.progress for e in progress)
    async with services.read() as session:
        job = await JobsRepository(session).get(ctx.job_id)
    assert job is not None and job.last_seq == reporters + 2
    assert (job.progress, job.message) == (1.0, f"item {reporters - 1}")


async def test_reports_made_during_a_write_go_into_the_next_one(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo
) -> None:
    ctx = await running_job(app, services, workspace)
    first = asyncio.ensure_future(ctx.progress(0.1, "first", {"i": 0}))
    await asyncio.sleep(0)  # the first write has started
    later = [asyncio.ensure_future(ctx.progress(0.1 * (i + 1), None, {"i": i})) for i in range(1, 6)]
    with statements(services) as seen:
        await asyncio.gather(first, *later)
    assert sum(1 for s in seen if s.startswith("INSERT INTO JOB_EVENTS")) <= 2
    events = [e for e in await events_of(services, ctx.job_id) if e.type == "progress"]
    assert [e.data for e in events] == [{"i": i} for i in range(6)]
    assert [e.seq for e in events] == list(range(3, 9))


async def test_every_reporter_of_a_batch_learns_of_a_cancellation(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo
) -> None:
    ctx = await running_job(app, services, workspace)
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        locked = await JobsRepository(uow.session).get_for_update(ctx.job_id)
        assert locked is not None
        locked.cancel_requested = True
    results = await asyncio.gather(*(ctx.progress(0.5) for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, JobCancelled) for r in results) and ctx.cancel_requested


@pytest.mark.parametrize("products", [30])
async def test_a_bulk_job_reports_each_product_once_in_order(
    client: Any, services: AppServices, workspace: WorkspaceInfo, products: int
) -> None:
    """The content-generation job (offline composer) with many products finishing together: one progress event
    per product, gap-free, never going backwards, in fewer transactions than products are not asserted here
    (that depends on timing); the counts are the test above's."""
    from benchmarks.content_generation import generation_request
    from tests.support.jobs import wait_for

    body = generation_request(products)
    headers = {"x-api-key": workspace.api_key}
    answer = await client.post("/brandbrain/content-generation/jobs", json=body, headers=headers)
    assert answer.status_code < 300, answer.text
    job = await wait_for(services, answer.json()["job_id"], {"completed"}, timeout=60)
    events = await events_of(services, job.id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    per_product = [e for e in events if e.type == "progress" and e.data and "product_id" in e.data]
    assert len(per_product) == products
    assert {e.data["product_id"] for e in per_product if e.data} == {p["product_id"] for p in body["products"]}
    fractions = [e.progress for e in per_product]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [e.message.split("(")[-1] for e in per_product if e.message] == [
        f"{k} of {products})." for k in range(1, products + 1)
    ]


async def test_a_batch_of_reports_is_published_in_one_call_in_order(
    app: Starlette, services: AppServices, workspace: WorkspaceInfo
) -> None:
    """The events a transaction wrote go to the bus together (on Redis: one pipeline, one round trip), not one
    publish each."""
    ctx = await running_job(app, services, workspace)
    bus = app.state.runtime.bus
    published: list[list[int]] = []
    publish_many = bus.publish_many

    async def recorded(messages: list[dict[str, Any]]) -> None:
        published.append([m["seq"] for m in messages])
        await publish_many(messages)

    bus.publish_many = recorded
    try:
        reporters = 20
        await asyncio.gather(*(ctx.progress((i + 1) / reporters, None, {"i": i}) for i in range(reporters)))
    finally:
        del bus.publish_many
    assert published == [list(range(3, reporters + 3))]
