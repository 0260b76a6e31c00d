"""Live job streams for the GraphQL subscriptions (the snapshot, then every later event, gap-free), and waiting
for a job to end for a request that answers with its result."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from domain.accounts.principal import Principal
from domain.jobs.models import Job
from domain.jobs.ports import job_topic, workspace_topic
from domain.jobs.service import JobService, event_message
from resolvers.context import AppServices


def snapshot_message(job: Job) -> dict[str, Any]:
    """The current state of a job in the shape of an event (type ``snapshot``, seq = last event)."""
    return {
        "job_id": job.id,
        "workspace_id": job.workspace_id,
        "kind": job.kind,
        "seq": job.last_seq,
        "type": "snapshot",
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "data": None,
        "created_at": job.updated_at.isoformat(),
    }


async def stream_job(services: AppServices, principal: Principal, job_id: str) -> AsyncIterator[dict[str, Any]]:
    """The current state, then every later event in order, ending after the terminal status.

    Subscribe first, then read the snapshot, then skip what the snapshot covers: nothing falls between.
    A gap in the live stream (a dropped message) is filled from ``job_events``.
    """
    async with services.read() as session:
        job = await JobService(session).get(principal, job_id)  # 404 before anything is subscribed
    async with services.bus.subscribe(job_topic(job.id)) as live:
        async with services.read() as session:
            current = await JobService(session).get(principal, job.id)
        yield snapshot_message(current)
        if current.is_terminal:
            return
        last = current.last_seq
        async for message in live:
            seq = int(message["seq"])
            if seq <= last:
                continue
            pending = [message]
            if seq > last + 1:
                async with services.read() as session:
                    missing = await JobService(session).events_between(current, last, seq - 1)
                pending = [event_message(current, e) for e in missing] + pending
            for item in pending:
                yield item
                last = int(item["seq"])
                if item["type"] == "status" and item["status"] in ("completed", "failed", "cancelled"):
                    return


async def stream_workspace(
    services: AppServices, principal: Principal, kinds: list[str] | None
) -> AsyncIterator[dict[str, Any]]:
    principal.require("jobs.jobs.read")
    async with services.bus.subscribe(workspace_topic(principal.workspace_id)) as live:
        async for message in live:
            if message.get("workspace_id") != principal.workspace_id:
                continue
            if kinds and message.get("kind") not in kinds:
                continue
            yield message


async def wait_until_ended(
    services: AppServices, workspace_id: str, job_id: str, wait_seconds: float, poll_seconds: float = 1.0
) -> Job:
    """The job once it has ended, or as it stands after ``wait_seconds``. Each look is a short read of its own (no
    connection is held while waiting); the job is read again at least every ``poll_seconds``, in case a bus
    message was lost."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    async with services.bus.subscribe(job_topic(job_id)) as live:
        events = aiter(live)
        while True:
            async with services.read() as session:  # after subscribing: an end published meanwhile is not missed
                job = await JobService(session).state(workspace_id, job_id)
            remaining = deadline - loop.time()
            if job.is_terminal or remaining <= 0:
                return job
            with contextlib.suppress(TimeoutError, StopAsyncIteration):
                await asyncio.wait_for(anext(events), timeout=min(poll_seconds, remaining))
