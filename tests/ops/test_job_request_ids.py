"""A job's log lines carry the request id of the request that created it, in-process and in RQ workers."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopwright.app import build_app
from tests.ops.support import json_log_lines
from tests.support.factories import make_workspace
from tests.support.jobs import load_job, wait_for

EXAMPLE = Path(__file__).resolve().parent.parent / "content" / "quantumtech_request.json"


@pytest.fixture
def job_lines() -> Iterator[io.StringIO]:
    """What the executor logs, as JSON lines."""
    with json_log_lines("workers.executor") as stream:
        yield stream


@pytest.fixture
async def real_app(settings) -> AsyncIterator[Any]:
    """The app with the service's own job kinds (content generation), as ``serve`` builds it."""
    application = build_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_a_job_logs_with_the_request_id_that_created_it(real_app, job_lines: io.StringIO) -> None:
    services = real_app.state.services
    workspace = await make_workspace(services)
    transport = httpx.ASGITransport(app=real_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/brandbrain/content-generation/jobs",
            headers={**workspace.headers(), "X-Request-ID": "req-make-content-42"},
            json=json.loads(EXAMPLE.read_text()),
        )
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    await wait_for(services, job_id, {"completed"})
    assert (await load_job(services, job_id)).request_id == "req-make-content-42"
    lines = [json.loads(line) for line in job_lines.getvalue().splitlines()]
    mine = [line for line in lines if line.get("job_id") == job_id]
    assert [line["message"] for line in mine] == ["job started", "job completed"], lines
    assert all(line["request_id"] == "req-make-content-42" for line in mine)
    assert mine[-1]["job_status"] == "completed" and mine[-1]["job_kind"] == "content.generation"


async def test_a_job_run_by_an_rq_worker_logs_with_its_request_id(settings_factory, redis_url) -> None:
    """The worker is another process: only the id stored on the job can carry the request over."""
    import uuid

    from domain.observability import bound_request_id
    from tests.conftest import make_test_registry
    from tests.support.factories import create_job
    from tests.support.jobs import start_worker, worker_env

    settings = settings_factory(redis_url=redis_url, rq_queue=f"shopwright-test-{uuid.uuid4().hex[:8]}")
    application = build_app(settings, registry=make_test_registry())
    async with application.router.lifespan_context(application):
        services = application.state.services
        workspace = await make_workspace(services)
        with bound_request_id("req-queued-for-rq-7"):
            job_id = await create_job(services, workspace, params={"steps": 1})
        env = worker_env(
            {
                "SHOPWRIGHT_DATABASE_URL": str(settings.database_url),
                "SHOPWRIGHT_REDIS_URL": redis_url,
                "SHOPWRIGHT_RQ_QUEUE": settings.rq_queue,
                "SHOPWRIGHT_SECRET_KEY": "test-secret-key",
                "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
                "SHOPWRIGHT_LOG_FORMAT": "json",
            }
        )
        process = start_worker(env, burst=True)
        out, _ = await asyncio.to_thread(process.communicate, timeout=120)
        assert process.returncode == 0, out.decode()
        await wait_for(services, job_id, {"completed"})
    records = []
    for raw in out.decode().splitlines():
        try:
            records.append(json.loads(raw))
        except ValueError:
            continue  # RQ's own banner lines
    mine = [r for r in records if r.get("job_id") == job_id]
    assert [r["message"] for r in mine] == ["job started", "job completed"], out.decode()
    assert all(r["request_id"] == "req-queued-for-rq-7" for r in mine)
