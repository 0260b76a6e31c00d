"""With Redis: jobs enqueued on RQ, run by separate `shopwright worker` processes, their events pushed to
GraphQL subscribers on a real server through Redis pub/sub. Skipped without SHOPWRIGHT_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid

import pytest

from tests.conftest import live_app, make_test_registry
from tests.support.factories import create_job, make_workspace
from tests.support.graphql import TransportWS
from tests.support.jobs import events_of, load_job, start_worker, wait_for, worker_env
from workers.bus import RedisBus

PROGRESS = """subscription($id: ID!) { jobProgress(id: $id) { rawJobId seq type status progress } }"""


@pytest.fixture
def rq_settings(settings_factory, redis_url):
    return settings_factory(redis_url=redis_url, rq_queue=f"shopwright-test-{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def rq_server(rq_settings):
    async with live_app(rq_settings, make_test_registry) as live:
        yield live


def env_for(settings, **extra: str) -> dict[str, str]:
    values = {
        "SHOPWRIGHT_DATABASE_URL": settings.database_url,
        "SHOPWRIGHT_REDIS_URL": settings.redis_url,
        "SHOPWRIGHT_RQ_QUEUE": settings.rq_queue,
        "SHOPWRIGHT_SECRET_KEY": settings.secret_key,
        "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
        "SHOPWRIGHT_JOB_HEARTBEAT_SECONDS": "0.2",
        "SHOPWRIGHT_CALLBACK_ALLOW_PRIVATE": "true",
    }
    values.update(extra)
    return worker_env(values)


async def run_burst(settings, **extra: str) -> str:
    process = start_worker(env_for(settings, **extra), burst=True)
    out, _ = await asyncio.to_thread(process.communicate, timeout=120)
    assert process.returncode == 0, out.decode()
    return out.decode()


async def test_redis_bus_fans_out_across_clients(redis_url):
    publisher, subscriber = RedisBus(redis_url), RedisBus(redis_url)
    job_id = str(uuid.uuid4())
    try:
        async with subscriber.subscribe(f"job:{job_id}") as stream:
            for seq in (1, 2, 3):
                await publisher.publish({"job_id": job_id, "workspace_id": "w", "seq": seq})
            got = []
            async with asyncio.timeout(5):
                async for message in stream:
                    got.append(message["seq"])
                    if len(got) == 3:
                        break
        assert got == [1, 2, 3]
    finally:
        await publisher.close()
        await subscriber.close()


async def test_rq_worker_runs_job_and_subscription_sees_every_event(rq_server, rq_settings):
    services = rq_server.services
    workspace = await make_workspace(services)
    job_id = await create_job(services, workspace, params={"steps": 6, "delay": 0.05})
    async with TransportWS.opened(rq_server.ws_url, workspace.headers()) as ws:
        op = await ws.subscribe(PROGRESS, {"id": job_id})
        snapshot = await ws.next_message(op)
        assert snapshot["payload"]["data"]["jobProgress"]["status"] == "QUEUED"
        output = await run_burst(rq_settings)
        messages = await ws.messages(op)
    assert messages[-1]["type"] == "complete", output
    received = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    first = snapshot["payload"]["data"]["jobProgress"]["seq"]
    seqs = [e["seq"] for e in received]
    assert seqs == list(range(first + 1, first + 1 + len(seqs))), seqs  # in order, no gaps, no duplicates
    stored = await events_of(services, job_id)
    assert seqs == [e.seq for e in stored if e.seq > first]
    assert received[-1]["status"] == "COMPLETED"
    job = await load_job(services, job_id)
    assert job.status == "completed" and job.result == {"steps": 6, "attempt": 1}


async def test_worker_killed_mid_job_is_recovered(rq_server, rq_settings):
    services = rq_server.services
    workspace = await make_workspace(services)
    job_id = await create_job(services, workspace, params={"steps": 40, "delay": 0.1})
    worker = start_worker(env_for(rq_settings), burst=False)
    try:
        await wait_for(services, job_id, {"processing"}, min_progress=0.1, timeout=60)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        await asyncio.to_thread(worker.wait, 30)
    await asyncio.sleep(0.5)
    stuck = await load_job(services, job_id)
    assert stuck.status == "processing" and stuck.progress < 1.0
    # A new worker treats the job as lost once its heartbeat is older than the stale period, requeues
    # it and runs it to the end.
    await asyncio.sleep(1.2)
    output = await run_burst(rq_settings, SHOPWRIGHT_JOB_STALE_SECONDS="1")
    job = await load_job(services, job_id)
    assert job.status == "completed", output
    assert job.attempts == 2
    statuses = [e.status for e in await events_of(services, job_id) if e.type == "status"]
    assert statuses == ["queued", "processing", "queued", "processing", "completed"]


async def test_worker_refuses_without_redis(rq_settings):
    import subprocess
    import sys

    env = env_for(rq_settings)
    env.pop("SHOPWRIGHT_REDIS_URL")
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "shopwright.cli", "worker", "--burst"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert b"SHOPWRIGHT_REDIS_URL" in result.stderr


async def test_redis_bus_publishes_many_in_one_round_trip_in_order(redis_url, monkeypatch):
    from redis.asyncio.client import Pipeline

    publisher, subscriber = RedisBus(redis_url), RedisBus(redis_url)
    job_id = str(uuid.uuid4())
    executed = []
    execute = Pipeline.execute

    async def counted(self, *args, **kwargs):
        executed.append(len(self.command_stack))
        return await execute(self, *args, **kwargs)

    try:
        async with subscriber.subscribe(f"job:{job_id}") as stream:
            monkeypatch.setattr(Pipeline, "execute", counted)
            await publisher.publish_many([{"job_id": job_id, "workspace_id": "w", "seq": seq} for seq in (1, 2, 3)])
            monkeypatch.undo()
            got = []
            async with asyncio.timeout(5):
                async for message in stream:
                    got.append(message["seq"])
                    if len(got) == 3:
                        break
        assert got == [1, 2, 3]
        assert executed == [6]  # one pipeline: each message to its job's and its workspace's channel
    finally:
        await publisher.close()
        await subscriber.close()
