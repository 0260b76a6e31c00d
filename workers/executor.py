"""Runs one job attempt: claim, call its handler, record the outcome. Used by every runner."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from domain.base import utcnow
from domain.db import UnitOfWork
from domain.errors import DomainError
from domain.jobs.registry import JobCancelled, JobKind, RetryableJobError
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService, ProgressReport
from domain.observability import bound_request_id, current_request_id
from domain.validation import field_errors
from workers.runtime import Runtime

log = logging.getLogger(__name__)

P = TypeVar("P", bound=BaseModel)


class RunningJob(Generic[P]):
    """The ``JobContext`` a handler sees."""

    def __init__(self, runtime: Runtime, *, job_id: str, workspace_id: str, kind: str, params: P, attempt: int) -> None:
        self.runtime = runtime
        self.job_id = job_id
        self.workspace_id = workspace_id
        self.kind = kind
        self.params = params
        self.attempt = attempt
        self.providers = runtime.providers
        self.cancel_requested = False
        self._pending: list[tuple[ProgressReport, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def progress(self, fraction: float, message: str | None = None, data: dict[str, Any] | None = None) -> None:
        """Returns once the report is committed (and published). Reports made while an earlier write is in
        flight are written together in the next transaction (group commit), in the order they were made, so
        many concurrent reporters cost a few transactions instead of one each, and none of them waits in a
        lock held across a transaction."""
        written: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((ProgressReport(fraction, message, data), written))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending())
        if await written:
            self.cancel_requested = True
            raise JobCancelled()

    async def _write_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self.unit_of_work() as uow:
                    cancel = await JobService(uow).report_progress_many(self.job_id, [r for r, _ in batch])
            except asyncio.CancelledError:
                for _, written in [*batch, *self._pending]:
                    written.cancel()
                self._pending = []
                raise
            except Exception as exc:
                for _, written in batch:
                    if not written.done():
                        written.set_exception(exc)
                continue
            for _, written in batch:
                if not written.done():  # its reporter may have been cancelled meanwhile
                    written.set_result(cancel)

    async def stop_progress(self) -> None:
        """Stop writing progress (the handler has ended): reports still waiting are dropped."""
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        async with self.runtime.db.unit_of_work(self.runtime.dispatcher) as uow:
            yield uow

    async def record_usage(self, prompt_tokens: int, completion_tokens: int) -> None:
        async with self.runtime.db.unit_of_work(self.runtime.dispatcher) as uow:
            await JobService(uow).add_usage(self.job_id, prompt_tokens, completion_tokens)


async def _heartbeat(runtime: Runtime, ctx: RunningJob[Any], handler: asyncio.Task[Any]) -> None:
    """Keeps the job visibly alive, and stops the handler once cancellation is requested."""
    while True:
        await asyncio.sleep(runtime.jobs.heartbeat_seconds)
        try:
            async with runtime.db.write_session() as session:
                repo = JobsRepository(session)
                await repo.heartbeat(ctx.job_id, utcnow())
                cancel = await repo.cancel_requested(ctx.job_id)
            if cancel and not handler.done():
                ctx.cancel_requested = True
                handler.cancel()
        except Exception:
            log.exception("heartbeat for job %s failed", ctx.job_id)


async def execute_job(runtime: Runtime, job_id: str) -> str | None:
    """Run one attempt of a queued job. Returns the status it ended in, or None if it was not claimed.

    Its log lines carry the request id of the request that created the job (``X-Request-ID``)."""
    async with runtime.db.unit_of_work(runtime.dispatcher) as uow:
        job = await JobService(uow).claim(job_id)
        if job is None:
            return None
        claimed = _Claimed(job.workspace_id, job.kind, dict(job.params or {}), job.attempts)
        request_id = job.request_id
    with bound_request_id(request_id or current_request_id()):
        started = time.monotonic()
        fields = {"job_id": job_id, "job_kind": claimed.kind, "attempt": claimed.attempt}
        log.info("job started", extra=fields)
        status = await _run(runtime, job_id, claimed)
        duration_ms = round((time.monotonic() - started) * 1000)
        log.info("job %s", status, extra={**fields, "job_status": status, "duration_ms": duration_ms})
        return status


@dataclass(frozen=True)
class _Claimed:
    workspace_id: str
    kind: str
    params: dict[str, Any]
    attempt: int


async def _run(runtime: Runtime, job_id: str, claimed: _Claimed) -> str:
    kind = runtime.registry.get(claimed.kind)
    if kind is None:
        return await _finish(runtime, job_id, "fail", "unknown_kind", f"No handler for job kind '{claimed.kind}'.")
    try:
        params = kind.params.model_validate(claimed.params)
    except ValidationError as exc:
        return await _finish(runtime, job_id, "fail", "invalid_params", _invalid_params(kind, exc))
    ctx = RunningJob(
        runtime,
        job_id=job_id,
        workspace_id=claimed.workspace_id,
        kind=claimed.kind,
        params=params,
        attempt=claimed.attempt,
    )

    handler = asyncio.create_task(kind.handler(ctx))
    heartbeat = asyncio.create_task(_heartbeat(runtime, ctx, handler))
    try:
        try:
            result = await handler
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            await ctx.stop_progress()
    except JobCancelled:
        return await _finish(runtime, job_id, "cancel")
    except asyncio.CancelledError:
        if ctx.cancel_requested:
            return await _finish(runtime, job_id, "cancel")
        # The runner is shutting down: give the job back (or fail it when out of attempts), then stop.
        handler.cancel()
        await asyncio.shield(
            _finish(runtime, job_id, "requeue", "worker_stopped", "The worker stopped while running this job.")
        )
        raise
    except RetryableJobError as exc:
        return await _finish(runtime, job_id, "requeue", exc.code, exc.message)
    except DomainError as exc:
        return await _finish(runtime, job_id, "fail", exc.code, exc.message)
    except Exception as exc:
        log.exception("job %s (%s) failed unexpectedly", job_id, ctx.kind)
        return await _finish(runtime, job_id, "fail", "internal_error", f"Unexpected error ({type(exc).__name__}).")
    return await _finish(runtime, job_id, "complete", result=result)


def _invalid_params(kind: JobKind[Any], exc: ValidationError) -> str:
    """Why a stored job's parameters no longer fit its kind (say, written before the kind's model changed)."""
    problems = "; ".join(f"{e.field or 'params'}: {e.message}" for e in field_errors(exc)[:3])
    return f"The job's stored parameters are not valid for job kind '{kind.name}': {problems}."


async def _finish(
    runtime: Runtime,
    job_id: str,
    outcome: str,
    code: str = "",
    message: str = "",
    result: dict[str, Any] | None = None,
) -> str:
    async with runtime.db.unit_of_work(runtime.dispatcher) as uow:
        service = JobService(uow)
        if outcome == "complete":
            await service.complete(job_id, result)
            return "completed"
        if outcome == "cancel":
            await service.mark_cancelled(job_id)
            return "cancelled"
        if outcome == "requeue":
            return await service.requeue_or_fail(job_id, code, message) or "failed"
        await service.fail(job_id, code, message)
        return "failed"
