"""RQ entry points. Each runs on a fresh event loop with its own runtime (engine, bus, queue).

The worker command calls ``configure`` with the composition root's runtime factory before it starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from workers.executor import execute_job
from workers.runtime import Runtime
from workers.webhooks import CallbackSender

RuntimeFactory = Callable[[], Runtime]
_factory: RuntimeFactory | None = None


def configure(factory: RuntimeFactory) -> None:
    global _factory
    _factory = factory


def _runtime() -> Runtime:
    if _factory is None:
        raise RuntimeError("workers.tasks is not configured; run jobs through `shopwright worker`")
    return _factory()


def run_job(job_id: str) -> str | None:
    async def main() -> str | None:
        runtime = _runtime()
        try:
            return await execute_job(runtime, job_id)
        finally:
            await runtime.close()

    return asyncio.run(main())


def deliver_callback(delivery_id: int) -> str:
    async def main() -> str:
        runtime = _runtime()
        try:
            return await CallbackSender(runtime.db, runtime.callbacks).deliver(delivery_id)
        finally:
            await runtime.close()

    return asyncio.run(main())
