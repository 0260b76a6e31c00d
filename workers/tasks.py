"""RQ entry points. A worker runs its jobs one after another in its own process (``SimpleWorker``); they share
one event loop and one runtime (engine, bus, queue, providers), made for the first job and kept for the next,
so a job starts without building an engine, a TLS context and a first connection anew (about 100 ms a job).

The worker command calls ``configure`` with the composition root's runtime factory before it starts, and
``close`` when it stops. A job that ends by an exception that escaped it (RQ's timeout signal, say) may leave
tasks or a connection half-used: the loop and the runtime are closed then, and the next job makes new ones.
A connection the database dropped while the worker was idle fails the next job's first statement and the pool
reconnects; that job is still queued, and recovery enqueues it again after the stale period.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from workers.executor import execute_job
from workers.runtime import Runtime
from workers.webhooks import CallbackSender

RuntimeFactory = Callable[[], Runtime]
T = TypeVar("T")

_factory: RuntimeFactory | None = None
_runner: asyncio.Runner | None = None
_kept: Runtime | None = None


def configure(factory: RuntimeFactory) -> None:
    close()  # a runtime made by another factory is not this one's
    global _factory
    _factory = factory


def close() -> None:
    """Closes the kept runtime and its event loop (the next job makes new ones)."""
    global _runner, _kept
    runner, runtime = _runner, _kept
    _runner = _kept = None
    if runner is None:
        return
    try:
        if runtime is not None:
            runner.run(runtime.close())
    finally:
        runner.close()


def on_runtime(work: Callable[[Runtime], Awaitable[T]]) -> T:
    """``work(runtime)`` on this process's kept event loop and runtime (made when missing)."""
    global _runner
    if _factory is None:
        raise RuntimeError("workers.tasks is not configured; run jobs through `shopwright worker`")
    if _runner is None:
        _runner = asyncio.Runner()
    try:
        return _runner.run(_with_runtime(work))
    except BaseException:
        close()
        raise


async def _with_runtime(work: Callable[[Runtime], Awaitable[T]]) -> T:
    global _kept
    if _kept is None:
        assert _factory is not None  # checked by on_runtime
        _kept = _factory()
    return await work(_kept)


def warm() -> None:
    """Makes the runtime, opens its first database connection and readies the text provider's call slots (the
    shared cap's Redis connections) before the first job arrives."""

    async def ping(runtime: Runtime) -> None:
        await runtime.db.ping()
        provider_warm = getattr(getattr(runtime.providers, "text", None), "warm", None)
        if provider_warm is not None:
            await provider_warm()

    on_runtime(ping)


def run_job(job_id: str) -> str | None:
    return on_runtime(lambda runtime: execute_job(runtime, job_id))


def deliver_callback(delivery_id: int) -> str:
    return on_runtime(lambda runtime: CallbackSender(runtime.db, runtime.callbacks).deliver(delivery_id))
