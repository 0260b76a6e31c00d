"""Recovery: no job stays ``processing`` after its worker died, no queued job or callback is forgotten."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.base import utcnow
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService
from workers.runtime import Runtime

log = logging.getLogger(__name__)


async def recover(runtime: Runtime, *, queued_grace: timedelta | None = None) -> dict[str, int]:
    """Requeue or fail stale ``processing`` jobs; re-enqueue queued jobs and callbacks nobody picked up.

    ``queued_grace`` is how old a queued job must be before it is enqueued again (claiming is atomic, so a
    second enqueue is harmless); by default the stale period.
    """
    stale = timedelta(seconds=runtime.jobs.stale_seconds)
    async with runtime.db.unit_of_work(runtime.dispatcher) as uow:
        counts = await JobService(uow).recover(stale_after=stale, requeue_queued=False)
        grace = stale if queued_grace is None else queued_grace
        for job_id in await JobsRepository(uow.session).queued_before(utcnow() - grace):
            uow.outbox.jobs.append(job_id)
            counts["reenqueued"] = counts.get("reenqueued", 0) + 1
        # Callbacks first in their job's line that no sender holds: never picked up, or their sender died
        # (its lease ran out). Claiming is atomic, so one already on its way is not sent twice.
        deliveries = await JobsRepository(uow.session).deliveries_to_resume(utcnow())
        uow.outbox.deliveries.extend(deliveries)
        counts["callbacks"] = len(deliveries)
    if any(counts.values()):
        log.info("recovery: %s", counts)
    return counts


async def recovery_loop(runtime: Runtime) -> None:
    interval = max(1.0, runtime.jobs.stale_seconds / 2)
    while True:
        await asyncio.sleep(interval)
        try:
            await recover(runtime)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("recovery pass failed")
