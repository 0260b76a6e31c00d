"""Recovery: a job left processing by a dead worker is retried or failed with a reason, never stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from domain.base import utcnow
from domain.db import NullDispatcher
from domain.jobs.models import Job
from domain.jobs.service import JobService
from tests.support import jobkinds
from tests.support.jobs import events_of, load_job, wait_for
from workers.recovery import recover


@pytest.fixture
def settings(settings_factory):
    """A stale period recovery can act on (an app of its own: its sweeps never touch other tests' jobs)."""
    return settings_factory(job_stale_seconds=30)


async def _orphan(services, workspace, *, attempts: int, max_attempts: int = 3) -> str:
    """A job that a worker claimed and then died on: processing, with a heartbeat long stopped."""
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        service = JobService(uow)
        job = await service.create(
            workspace.principal, kind=jobkinds.STEPS, params={"steps": 2}, max_attempts=max_attempts
        )
        await service.claim(job.id)
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        await uow.session.execute(
            update(Job).where(Job.id == job.id).values(heartbeat_at=utcnow() - timedelta(minutes=10), attempts=attempts)
        )
    return job.id


async def test_orphaned_job_is_requeued_and_completes(app, services, workspace):
    job_id = await _orphan(services, workspace, attempts=1)
    counts = await recover(app.state.runtime)
    assert counts["requeued"] == 1
    job = await wait_for(services, job_id, {"completed"})
    assert job.attempts == 2
    statuses = [e.status for e in await events_of(services, job_id) if e.type == "status"]
    assert statuses == ["queued", "processing", "queued", "processing", "completed"]
    requeue = [e for e in await events_of(services, job_id) if e.type == "status"][2]
    assert "stopped responding" in (requeue.message or "")


async def test_orphaned_job_out_of_attempts_fails_with_reason(app, services, workspace):
    job_id = await _orphan(services, workspace, attempts=3, max_attempts=3)
    counts = await recover(app.state.runtime)
    assert counts["failed"] == 1
    job = await load_job(services, job_id)
    assert job.status == "failed" and job.error_code == "worker_lost"
    message = job.error_message or ""
    assert "stopped responding" in message and "Gave up after 3 attempts" in message


async def test_live_job_is_left_alone(app, services, workspace):
    from tests.support.factories import create_job

    job_id = await create_job(services, workspace, params={"steps": 20, "delay": 0.1})
    await wait_for(services, job_id, {"processing"}, min_progress=0.05)
    counts = await recover(app.state.runtime)
    assert counts["requeued"] == 0 and counts["failed"] == 0
    job = await wait_for(services, job_id, {"completed"})
    assert job.attempts == 1


async def test_queued_job_never_enqueued_is_picked_up_at_startup(settings, services, workspace):
    """A crash between commit and enqueue leaves a queued job: the next in-process start runs it."""
    from shopwright.app import build_app
    from tests.conftest import make_test_registry

    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={"steps": 1})
    application = build_app(settings, registry=make_test_registry())
    async with application.router.lifespan_context(application):
        done = await wait_for(application.state.services, job.id, {"completed"})
    assert done.attempts == 1
