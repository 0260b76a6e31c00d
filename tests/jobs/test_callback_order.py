"""A job's callbacks arrive in seq order: a later one waits until the earlier one is delivered or given up,
under a lease granted atomically (so it holds across processes), and a sender that dies mid-delivery is
replaced by recovery once its lease runs out."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from domain.base import utcnow
from domain.db import NullDispatcher
from domain.jobs.models import CallbackDelivery
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService
from tests.conftest import running_app
from tests.support import jobkinds
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import create_job, make_workspace
from tests.support.jobs import start_worker, wait_for, worker_env
from workers.recovery import recover
from workers.webhooks import CallbackSender


@pytest.fixture
async def receiver_factory():
    async with contextlib.AsyncExitStack() as stack:

        async def make(fail_first: int = 0):
            return await stack.enter_async_context(receiving(fail_first))

        yield make


@pytest.fixture
async def rq_app(settings_factory, redis_url):
    settings = settings_factory(redis_url=redis_url, rq_queue=f"shopwright-test-{uuid.uuid4().hex[:8]}")
    async with running_app(settings) as application:
        yield application.state.services, settings


async def _deliveries(services, job_id):
    async with services.read() as session:
        return await JobsRepository(session).deliveries_for_job(job_id)


async def _queued_then_cancelled(services, workspace, url):
    """A job with two callbacks (queued, cancelled), neither handed to a sender yet."""
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={}, callback_url=url)
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        await JobService(uow).cancel(workspace.principal, job.id)
    first, second = await _deliveries(services, job.id)
    return job.id, first.id, second.id


async def test_receiver_failing_the_first_delivery_still_sees_events_in_seq_order(
    app, services, workspace, receiver_factory
):
    receiver = await receiver_factory(fail_first=1)
    job_id = await create_job(services, workspace, params={"steps": 2}, callback_url=receiver.url)
    await wait_for(services, job_id, {"completed"})
    await app.state.runtime.queue.drain()
    got = await signed_bodies(services, workspace, receiver)
    assert [(b["seq"], b["status"]) for b in got] == [(1, "queued"), (1, "queued"), (2, "processing"), (5, "completed")]
    delivered = await signed_bodies(services, workspace, receiver, delivered_only=True)
    assert [b["status"] for b in delivered] == ["queued", "processing", "completed"]
    assert [d.status for d in await _deliveries(services, job_id)] == ["delivered"] * 3


async def test_a_later_delivery_is_not_claimed_while_an_earlier_one_is_pending(services, workspace):
    _, first, second = await _queued_then_cancelled(services, workspace, "http://hooks.test/x")
    now = utcnow()
    until = now + timedelta(minutes=1)
    async with services.db.write_session() as session:
        repo = JobsRepository(session)
        assert not await repo.claim_delivery(second, "a", now=now, until=until)  # the first goes first
        assert await repo.claim_delivery(first, "a", now=now, until=until)
        assert not await repo.claim_delivery(first, "b", now=now, until=until)  # held by a
        assert await repo.deliveries_to_resume(now) == []
    async with services.db.write_session() as session:
        await session.execute(update(CallbackDelivery).where(CallbackDelivery.id == first).values(status="failed"))
    async with services.db.write_session() as session:
        assert await JobsRepository(session).claim_delivery(second, "b", now=now, until=until)  # given up: next


async def test_sender_of_a_later_delivery_leaves_it_to_the_earlier_ones_sender(
    app, services, workspace, receiver_factory
):
    receiver = await receiver_factory()
    _, first, second = await _queued_then_cancelled(services, workspace, receiver.url)
    sender = CallbackSender(services.db, app.state.runtime.callbacks)
    assert await sender.deliver(second) == "pending"
    assert receiver.requests == []
    assert await sender.deliver(first) == "delivered"  # and goes on with the job's next
    assert [b["status"] for b in await signed_bodies(services, workspace, receiver)] == ["queued", "cancelled"]
    assert await sender.deliver(second) == "delivered"  # already: nothing is sent again
    assert len(receiver.requests) == 2


async def test_delivery_of_a_worker_that_died_is_resumed_once_its_lease_runs_out(
    app, services, workspace, receiver_factory
):
    receiver = await receiver_factory()
    job_id, first, _ = await _queued_then_cancelled(services, workspace, receiver.url)
    runtime = app.state.runtime
    now = utcnow()
    # A sender claimed the first delivery, then its process died before recording anything.
    async with services.db.write_session() as session:
        claimed = await JobsRepository(session).claim_delivery(
            first, str(uuid.uuid4()), now=now, until=now + timedelta(minutes=5)
        )
        assert claimed
    assert (await recover(runtime))["callbacks"] == 0  # its lease still runs: nobody else may send it
    await runtime.queue.drain()
    assert receiver.requests == []
    async with services.db.write_session() as session:
        expired = now - timedelta(seconds=1)
        await session.execute(
            update(CallbackDelivery).where(CallbackDelivery.id == first).values(claimed_until=expired)
        )
    assert (await recover(runtime))["callbacks"] == 1  # the job's first pending one only
    await runtime.queue.drain()
    assert [b["status"] for b in await signed_bodies(services, workspace, receiver)] == ["queued", "cancelled"]
    deliveries = await _deliveries(services, job_id)
    assert [(d.status, d.attempts, d.claimed_by) for d in deliveries] == [("delivered", 1, None)] * 2


async def test_sender_that_lost_its_lease_records_nothing_and_stops(app, services, workspace, receiver_factory):
    receiver = await receiver_factory(fail_first=1)
    job_id, first, _ = await _queued_then_cancelled(services, workspace, receiver.url)

    class Usurped(CallbackSender):
        async def _attempt(self, claimed, secrets):
            outcome = await super()._attempt(claimed, secrets)
            async with services.db.write_session() as session:  # another sender took over meanwhile
                await session.execute(
                    update(CallbackDelivery).where(CallbackDelivery.id == first).values(claimed_by="someone else")
                )
            return outcome

    assert await Usurped(services.db, app.state.runtime.callbacks).deliver(first) == "pending"
    assert len(receiver.requests) == 1
    deliveries = await _deliveries(services, job_id)
    assert [(d.status, d.attempts) for d in deliveries] == [("pending", 0), ("pending", 0)]


async def test_order_holds_across_rq_worker_processes(rq_app):
    """Two RQ workers run the job and its callbacks side by side; the first callback fails once and the
    receiver still gets the job's events in seq order."""
    services, settings = rq_app
    workspace = await make_workspace(services)
    async with receiving(fail_first=1) as receiver:
        job_id = await create_job(services, workspace, params={"steps": 3, "delay": 0.05}, callback_url=receiver.url)
        env = worker_env(
            {
                "SHOPWRIGHT_DATABASE_URL": settings.database_url,
                "SHOPWRIGHT_REDIS_URL": settings.redis_url,
                "SHOPWRIGHT_RQ_QUEUE": settings.rq_queue,
                "SHOPWRIGHT_SECRET_KEY": settings.secret_key,
                "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
                "SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE": "true",
                "SHOPWRIGHT_CALLBACK_BACKOFF_SECONDS": "0.3",
            }
        )
        workers = [start_worker(env, burst=False) for _ in range(2)]
        try:
            await wait_for(services, job_id, {"completed"}, timeout=60)
            async with asyncio.timeout(60):
                while True:
                    if [d.status for d in await _deliveries(services, job_id)] == ["delivered"] * 3:
                        break
                    await asyncio.sleep(0.1)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                await asyncio.to_thread(worker.wait, 30)
    got = await signed_bodies(services, workspace, receiver)
    assert [b["status"] for b in got] == ["queued", "queued", "processing", "completed"]
