"""callback_url delivery: signed POSTs for each status change, retries with backoff, every attempt recorded."""

from __future__ import annotations

import contextlib

import pytest

from domain.errors import InvalidInput
from domain.jobs.callbacks import LEGACY_SIGNATURE_HEADER, verify_legacy_signature
from domain.jobs.repository import JobsRepository
from tests.support import jobkinds
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import create_job
from tests.support.jobs import wait_for


@pytest.fixture
async def receiver_factory():
    async with contextlib.AsyncExitStack() as stack:

        async def make(fail_first: int = 0):
            receiver = await stack.enter_async_context(receiving(fail_first))
            return receiver, receiver.url

        yield make


async def _deliveries(services, job_id):
    async with services.read() as session:
        repo = JobsRepository(session)
        deliveries = await repo.deliveries_for_job(job_id)
        attempts = await repo.attempts_for([d.id for d in deliveries]) if deliveries else []
    return deliveries, attempts


async def _drain(app):
    await app.state.runtime.queue.drain()


async def test_signed_callback_for_each_status_change(app, services, workspace, receiver_factory):
    receiver, url = await receiver_factory()
    job_id = await create_job(
        services, workspace, params={"steps": 2}, callback_url=url, external_tracking_id="order-77"
    )
    await wait_for(services, job_id, {"completed"})
    await _drain(app)
    bodies = await signed_bodies(services, workspace, receiver)
    assert [b["status"] for b in bodies] == ["queued", "processing", "completed"]  # in seq order
    assert {b["job_id"] for b in bodies} == {job_id}
    assert {b["external_tracking_id"] for b in bodies} == {"order-77"}
    assert not verify_legacy_signature(
        "another-secret", receiver.requests[0][1], receiver.requests[0][0][LEGACY_SIGNATURE_HEADER.lower()]
    )
    deliveries, attempts = await _deliveries(services, job_id)
    assert [d.status for d in deliveries] == ["delivered"] * 3
    assert [(a.attempt, a.status_code) for a in attempts] == [(1, 200)] * 3
    headers = [h for h, _ in receiver.requests]
    assert [h["webhook-id"] for h in headers] == [h["x-shopwright-delivery"] for h in headers]
    assert [h["webhook-id"] for h in headers] == [str(d.id) for d in deliveries]
    assert all(h["webhook-signature"].startswith("v1,") and h["webhook-timestamp"].isdigit() for h in headers)


async def test_failing_receiver_is_retried_and_every_attempt_recorded(app, services, workspace, receiver_factory):
    from domain.db import NullDispatcher
    from domain.jobs.service import JobService
    from workers.recovery import recover

    receiver, url = await receiver_factory(fail_first=2)
    # A queued job whose callback nobody was told about (nothing dispatched); then cancel it, one more status
    # change. Its callback waits for the queued one, which recovery hands to a sender.
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={}, callback_url=url)
    async with services.unit_of_work() as uow:
        response = await JobService(uow).cancel(workspace.principal, job.id)
    assert response.status == "cancelled"
    await _drain(app)
    assert receiver.requests == []
    assert (await recover(app.state.runtime))["callbacks"] == 1
    await _drain(app)
    deliveries, attempts = await _deliveries(services, job.id)
    assert [(d.payload["status"], d.status, d.attempts) for d in deliveries] == [
        ("queued", "delivered", 3),
        ("cancelled", "delivered", 1),
    ]
    recorded = [(a.delivery_id, a.attempt, a.status_code) for a in attempts]
    queued, cancelled = (d.id for d in deliveries)
    assert recorded == [(queued, 1, 500), (queued, 2, 500), (queued, 3, 200), (cancelled, 1, 200)]
    bodies = await signed_bodies(services, workspace, receiver)
    assert [b["status"] for b in bodies] == ["queued", "queued", "queued", "cancelled"]


async def test_receiver_that_never_recovers_fails_after_max_attempts(settings_factory, receiver_factory, workspace):
    from shopwright.app import build_app
    from tests.conftest import make_test_registry

    receiver, url = await receiver_factory(fail_first=100)
    application = build_app(settings_factory(callback_max_attempts=3), registry=make_test_registry())
    async with application.router.lifespan_context(application):
        services = application.state.services
        job_id = await create_job(services, workspace, kind=jobkinds.UNREGISTERED, callback_url=url)
        await wait_for(services, job_id, {"failed"})
        await _drain(application)
        deliveries, attempts = await _deliveries(services, job_id)
    assert [d.status for d in deliveries] == ["failed"] * 3
    assert len(attempts) == 9 and all(a.status_code == 500 for a in attempts)
    assert len(receiver.requests) == 9


async def test_loopback_refused_unless_allowed(settings_factory, receiver_factory, workspace):
    from shopwright.app import build_app
    from tests.conftest import make_test_registry

    receiver, url = await receiver_factory()
    application = build_app(settings_factory(callback_allow_private=False), registry=make_test_registry())
    async with application.router.lifespan_context(application):
        services = application.state.services
        job_id = await create_job(services, workspace, params={"steps": 1}, callback_url=url)
        await wait_for(services, job_id, {"completed"})
        await _drain(application)
        deliveries, attempts = await _deliveries(services, job_id)
    assert receiver.requests == []
    assert [d.status for d in deliveries] == ["failed"] * 3
    assert all(a.status_code is None and "private or loopback" in (a.error or "") for a in attempts)
    assert len(attempts) == 3  # refusals are final: no retries


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "http://user:pw@example.com/", "/relative"])
async def test_bad_callback_urls_are_rejected_and_nothing_written(services, workspace, url):
    with pytest.raises(InvalidInput):
        await create_job(services, workspace, params={}, callback_url=url)
    async with services.read() as session:
        from sqlalchemy import func, select

        from domain.jobs.models import Job

        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 0
