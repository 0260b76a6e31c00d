"""Everything background execution needs, handed in by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from domain.db import Database, Outbox
from domain.jobs.ports import EventBus, JobQueue
from domain.jobs.registry import JobRegistry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallbackPolicy:
    allow_private: bool = False
    max_attempts: int = 5
    backoff_seconds: float = 2.0
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class JobPolicy:
    max_attempts: int = 3
    heartbeat_seconds: float = 5.0
    stale_seconds: float = 60.0


@dataclass
class Runtime:
    db: Database
    bus: EventBus
    registry: JobRegistry
    jobs: JobPolicy
    callbacks: CallbackPolicy
    providers: Any = None
    queue: JobQueue | None = None
    dispatcher: Dispatcher = field(init=False)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self)

    def require_queue(self) -> JobQueue:
        if self.queue is None:
            raise RuntimeError("runtime has no job queue")
        return self.queue

    async def close(self) -> None:
        close = getattr(self.queue, "close", None)
        if close is not None:
            await close()
        await self.bus.close()
        aclose = getattr(self.providers, "aclose", None)
        if aclose is not None:
            await aclose()
        await self.db.dispose()


class Dispatcher:
    """Publishes events and enqueues work once a unit of work has committed."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def dispatch(self, outbox: Outbox) -> None:
        if outbox.events:
            try:  # the unit of work's events in one round trip (a group commit of progress reports has many)
                await self.runtime.bus.publish_many(outbox.events)
            except Exception:  # the events are in job_events; subscribers refill gaps from there
                log.exception("publishing job events failed")
        queue = self.runtime.require_queue()
        for job_id in outbox.jobs:
            await queue.enqueue(job_id)
        for delivery_id in outbox.deliveries:
            await queue.enqueue_delivery(delivery_id)
