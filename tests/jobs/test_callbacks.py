"""callback_url delivery: signed POSTs for each status change, retries with backoff, every attempt recorded."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts.repository import AccountsRepository
from domain.errors import InvalidInput
from domain.jobs.callbacks import SIGNATURE_HEADER, verify_signature
from domain.jobs.repository import JobsRepository
from tests.conftest import start_server, stop_server
from tests.support import jobkinds
from tests.support.factories import create_job
from tests.support.jobs import wait_for


class Receiver:
    """A loopback HTTP receiver that fails its first ``fail_first`` requests with 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.requests: list[tuple[dict[str, str], bytes]] = []

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            self.requests.append((dict(request.headers), await request.body()))
            if len(self.requests) <= self.fail_first:
                return JSONResponse({"error": "not now"}, status_code=500)
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@pytest.fixture
async def receiver_factory():
    running = []

    async def make(fail_first: int = 0):
        receiver = Receiver(fail_first)
        live, server, task = await start_server(receiver.app())
        running.append((server, task))
        return receiver, f"{live.url}/hook"

    yield make
    for server, task in running:
        await stop_server(server, task)


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
    async with services.read() as session:
        found = await AccountsRepository(session).get_workspace(workspace.workspace_id)
    assert found is not None
    secret = found.webhook_secret
    bodies = []
    for headers, body in receiver.requests:
        assert verify_signature(secret, body, headers[SIGNATURE_HEADER.lower()])
        bodies.append(json.loads(body))
    assert sorted(b["status"] for b in bodies) == ["completed", "processing", "queued"]
    assert {b["job_id"] for b in bodies} == {job_id}
    assert {b["external_tracking_id"] for b in bodies} == {"order-77"}
    assert not verify_signature(
        "another-secret", receiver.requests[0][1], receiver.requests[0][0][SIGNATURE_HEADER.lower()]
    )
    deliveries, attempts = await _deliveries(services, job_id)
    assert [d.status for d in deliveries] == ["delivered"] * 3
    assert [(a.attempt, a.status_code) for a in attempts] == [(1, 200)] * 3


async def test_failing_receiver_is_retried_and_every_attempt_recorded(app, services, workspace, receiver_factory):
    receiver, url = await receiver_factory(fail_first=2)
    from domain.db import NullDispatcher
    from domain.jobs.service import JobService

    # A queued job only (nothing dispatched): then cancel it, which makes exactly one more status change.
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={}, callback_url=url)
    async with services.unit_of_work() as uow:
        response = await JobService(uow).cancel(workspace.principal, job.id)
    assert response.status == "cancelled"
    await _drain(app)
    deliveries, attempts = await _deliveries(services, job.id)
    cancelled = [d for d in deliveries if d.payload["status"] == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0].status == "delivered" and cancelled[0].attempts == 3
    recorded = [(a.attempt, a.status_code) for a in attempts if a.delivery_id == cancelled[0].id]
    assert recorded == [(1, 500), (2, 500), (3, 200)]
    assert len(receiver.requests) == 3


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
