"""``shopwright worker``: recovery, then RQ's work loop (one job at a time per process)."""

from __future__ import annotations

import asyncio
import logging
import threading

import redis
from rq import Queue, SimpleWorker

from workers import tasks
from workers.recovery import recover
from workers.tasks import RuntimeFactory

log = logging.getLogger(__name__)


def _recover_once(factory: RuntimeFactory) -> dict[str, int]:
    async def main() -> dict[str, int]:
        runtime = factory()
        try:
            return await recover(runtime)
        finally:
            await runtime.close()

    return asyncio.run(main())


def run_worker(*, redis_url: str, queue_name: str, factory: RuntimeFactory, burst: bool, interval: float) -> bool:
    """Returns whether any job was processed. Runs in-process (``SimpleWorker``) so that a killed worker
    takes its job with it, leaving recovery to requeue it, rather than leaving an orphaned work horse."""
    tasks.configure(factory)
    counts = _recover_once(factory)
    log.info("startup recovery: %s", counts)
    stop = threading.Event()
    if not burst:

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    _recover_once(factory)
                except Exception:
                    log.exception("recovery pass failed")

        threading.Thread(target=loop, name="shopwright-recovery", daemon=True).start()
    try:
        tasks.warm()
    except Exception:  # the first job makes it then, and says what is wrong
        log.exception("could not prepare the runtime before the first job")
    connection = redis.Redis.from_url(redis_url)
    worker = SimpleWorker([Queue(queue_name, connection=connection)], connection=connection)
    try:
        return bool(worker.work(burst=burst, logging_level="INFO"))
    finally:
        stop.set()
        tasks.close()
