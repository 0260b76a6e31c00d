"""Job queues: in-process on the API's event loop, or RQ on Redis for separate worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import redis
from rq import Queue

from workers.executor import execute_job
from workers.runtime import Runtime
from workers.webhooks import CallbackSender

log = logging.getLogger(__name__)

RQ_JOB_TIMEOUT = 6 * 3600


class InProcessQueue:
    """Runs jobs as tasks on the current event loop, at most ``concurrency`` at a time."""

    def __init__(self, runtime: Runtime, concurrency: int) -> None:
        self.runtime = runtime
        self._jobs = asyncio.Semaphore(concurrency)
        self._deliveries = asyncio.Semaphore(16)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._waiting = 0  # enqueued, not yet holding a slot
        self._sender = CallbackSender(runtime.db, runtime.callbacks)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def enqueue(self, job_id: str) -> None:
        self._waiting += 1
        self._spawn(self._run(job_id))

    async def enqueue_delivery(self, delivery_id: int) -> None:
        self._waiting += 1
        self._spawn(self._deliver(delivery_id))

    async def depth(self) -> int:
        """Jobs and callback deliveries enqueued that have not started yet."""
        return self._waiting

    @contextlib.asynccontextmanager
    async def _slot(self, slots: asyncio.Semaphore) -> AsyncIterator[None]:
        try:
            await slots.acquire()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            slots.release()

    async def _run(self, job_id: str) -> None:
        async with self._slot(self._jobs):
            try:
                await execute_job(self.runtime, job_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("running job %s failed", job_id)

    async def _deliver(self, delivery_id: int) -> None:
        async with self._slot(self._deliveries):
            try:
                await self._sender.deliver(delivery_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("callback delivery %s failed", delivery_id)

    async def drain(self) -> None:
        """Wait for everything started so far (and whatever it starts) to finish."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, grace_seconds: float = 0.0) -> None:
        """Stop: what is running gets ``grace_seconds`` to finish, then is cancelled (a cancelled job is given
        back to the queue, or failed when out of attempts)."""
        if self._tasks and grace_seconds > 0:
            await asyncio.wait(list(self._tasks), timeout=grace_seconds)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class RQQueue:
    """Enqueues job ids on RQ; ``shopwright worker`` processes run them."""

    def __init__(self, redis_url: str, queue_name: str) -> None:
        self._redis = redis.Redis.from_url(redis_url)
        self.queue = Queue(queue_name, connection=self._redis)

    async def enqueue(self, job_id: str) -> None:
        await asyncio.to_thread(
            self.queue.enqueue,
            "workers.tasks.run_job",
            job_id,
            job_timeout=RQ_JOB_TIMEOUT,
            result_ttl=0,
            failure_ttl=24 * 3600,
            description=f"shopwright job {job_id}",
        )

    async def enqueue_delivery(self, delivery_id: int) -> None:
        await asyncio.to_thread(
            self.queue.enqueue,
            "workers.tasks.deliver_callback",
            delivery_id,
            job_timeout=3600,
            result_ttl=0,
            failure_ttl=24 * 3600,
            description=f"shopwright callback {delivery_id}",
        )

    async def depth(self) -> int:
        """Jobs and callback deliveries waiting on the RQ queue."""
        return int(await asyncio.to_thread(lambda: self.queue.count))

    async def close(self) -> None:
        await asyncio.to_thread(self._redis.close)
