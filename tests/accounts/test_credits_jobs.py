"""Jobs that cost credits: debited when created, given back once (a ``refund`` entry naming the job) on every
path by which a job ends without completing — its handler failing, its attempts running out, recovery of a
job whose worker died, cancellation while queued or while running."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from domain.accounts.credits import CreditsService
from domain.accounts.models import CreditEntry
from domain.base import utcnow
from domain.db import NullDispatcher
from domain.errors import Conflict
from domain.jobs.models import Job
from domain.jobs.service import JobService
from resolvers.context import AppServices
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.jobs import load_job, wait_for
from workers.recovery import recover

COST = 4


async def funded(services: AppServices, credits: int = 10) -> WorkspaceInfo:
    return await make_workspace(services, credits=credits)


async def create_paid_job(
    services: AppServices, ws: WorkspaceInfo, params: dict[str, Any], *, enqueue: bool = True, **kwargs: Any
) -> str:
    dispatcher = services.dispatcher if enqueue else NullDispatcher()
    async with services.db.unit_of_work(dispatcher) as uow:
        job = await JobService(uow, plans=services.plans).create(
            ws.principal, kind=jobkinds.STEPS, params=params, credits=COST, **kwargs
        )
        return job.id


async def entries_for(services: AppServices, ws: WorkspaceInfo, job_id: str) -> list[tuple[str, int]]:
    async with services.read() as session:
        stmt = (
            select(CreditEntry.reason, CreditEntry.amount)
            .where(CreditEntry.workspace_id == ws.workspace_id, CreditEntry.reference == job_id)
            .order_by(CreditEntry.id)
        )
        return [(reason, amount) for reason, amount in (await session.execute(stmt)).all()]


async def total(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.read() as session:
        return (await CreditsService(session, services.plans).balance(ws.workspace_id)).total


async def assert_refunded_once(services: AppServices, ws: WorkspaceInfo, job_id: str) -> None:
    assert await entries_for(services, ws, job_id) == [("debit", -COST), ("refund", COST)]
    assert await total(services, ws) == 10
    assert (await load_job(services, job_id)).credits_charged == 0


async def test_a_completed_job_keeps_its_credits_spent(services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"steps": 1})
    job = await wait_for(services, job_id, {"completed"})
    assert job.credits_charged == COST
    assert await entries_for(services, ws, job_id) == [("debit", -COST)]
    assert await total(services, ws) == 10 - COST


async def test_a_job_whose_handler_fails_is_refunded_once(services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"steps": 2, "fail_at": 1})
    await wait_for(services, job_id, {"failed"})
    await assert_refunded_once(services, ws, job_id)
    async with services.unit_of_work() as uow:  # a late second failure report changes nothing
        await JobService(uow).fail(job_id, "again", "reported twice")
    await assert_refunded_once(services, ws, job_id)


async def test_a_job_out_of_attempts_is_refunded_once(services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"flaky_attempts": 5}, max_attempts=2)
    job = await wait_for(services, job_id, {"failed"})
    assert job.attempts == 2
    await assert_refunded_once(services, ws, job_id)


async def test_a_job_cancelled_while_queued_is_refunded_once(services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"steps": 1}, enqueue=False)
    assert await total(services, ws) == 10 - COST
    async with services.unit_of_work() as uow:
        job = await JobService(uow).cancel(ws.principal, job_id)
        assert job.status == "cancelled"
    await assert_refunded_once(services, ws, job_id)
    with pytest.raises(Conflict):
        async with services.unit_of_work() as uow:
            await JobService(uow).cancel(ws.principal, job_id)
    await assert_refunded_once(services, ws, job_id)


async def test_a_job_cancelled_while_running_is_refunded_once(services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"steps": 40, "delay": 0.05})
    await wait_for(services, job_id, {"processing"}, min_progress=0.02)
    async with services.unit_of_work() as uow:
        await JobService(uow).cancel(ws.principal, job_id)
    await wait_for(services, job_id, {"cancelled"})
    await assert_refunded_once(services, ws, job_id)


async def test_a_lost_job_out_of_attempts_is_refunded_once_by_recovery(app: Any, services: AppServices) -> None:
    ws = await funded(services)
    job_id = await create_paid_job(services, ws, {"steps": 1}, enqueue=False, max_attempts=2)
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        assert await JobService(uow).claim(job_id) is not None
    # Its worker died: no heartbeat for longer than the stale period, and no attempt left.
    stale = timedelta(seconds=app.state.runtime.jobs.stale_seconds) + timedelta(minutes=5)
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        await uow.session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - stale, attempts=2))
    counts = await recover(app.state.runtime)
    assert counts["failed"] == 1
    assert (await load_job(services, job_id)).error_code == "worker_lost"
    await assert_refunded_once(services, ws, job_id)
    assert (await recover(app.state.runtime))["failed"] == 0
    await assert_refunded_once(services, ws, job_id)
