"""The job lifecycle: queued -> processing -> completed | failed | cancelled.

Every state change (and every progress report) appends a ``JobEvent`` with the next ``seq`` under a row
lock on the job, and puts the event into the unit of work's outbox, so it is published only once
committed. Services never commit; the request or the job owns the transaction.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from domain.accounts.credits import DEBIT, REFUND, CreditsService, LedgerNote
from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.db import UnitOfWork
from domain.errors import Conflict, InvalidInput, NotFound
from domain.jobs.callbacks import validate_callback_url
from domain.jobs.models import (
    CANCELLED,
    COMPLETED,
    DELIVERY_PENDING,
    FAILED,
    PROCESSING,
    QUEUED,
    CallbackAttempt,
    CallbackDelivery,
    Job,
    JobEvent,
)
from domain.jobs.registry import JobKind
from domain.jobs.repository import JobsRepository
from domain.jobs.webhooks import job_ended
from domain.observability import current_request_id
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest
from domain.validation import parse_now

P = TypeVar("P", bound=BaseModel)
DEFAULT_MAX_ATTEMPTS = 3


def event_message(job: Job, event: JobEvent) -> dict[str, Any]:
    """The wire form of an event: what the bus carries and subscriptions receive."""
    return _event_message(job.id, job.workspace_id, job.kind, event)


def _event_message(job_id: str, workspace_id: str, kind: str, event: JobEvent) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "workspace_id": workspace_id,
        "kind": kind,
        "seq": event.seq,
        "type": event.type,
        "status": event.status,
        "progress": event.progress,
        "message": event.message,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def callback_payload(job: Job, event: JobEvent) -> dict[str, Any]:
    return {
        "event": "job.status_changed",
        "job_id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "seq": event.seq,
        "external_tracking_id": job.external_tracking_id,
        "error": {"code": job.error_code, "message": job.error_message} if job.error_code else None,
        "timestamp": event.created_at.isoformat(),
    }


def parse_job_id(job_id: str) -> str:
    """A job id as stored, or ``NotFound`` (a malformed id names no job)."""
    try:
        return str(uuid.UUID(job_id.removeprefix("job_")))
    except (ValueError, AttributeError):
        raise NotFound("Job not found.") from None


@dataclass(frozen=True)
class ProgressReport:
    """One progress report of a running job: its fraction done, message and data (the event's)."""

    fraction: float
    message: str | None = None
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class JobFilter:
    kinds: list[str] | None = None
    statuses: list[str] | None = None


def encode_cursor(job: Job) -> str:
    return base64.urlsafe_b64encode(f"{job.created_at.isoformat()}|{job.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created, job_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        when = datetime.fromisoformat(created)
        if when.tzinfo is None:  # we only issue UTC cursors; a naive one would fail in the query
            raise ValueError("naive cursor")
        return when, str(uuid.UUID(job_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("after", "Invalid cursor.") from None


class JobService:
    def __init__(self, uow_or_session: UnitOfWork | Any, *, plans: Mapping[str, int] | None = None) -> None:
        # The plans (AppServices.plans) are needed to create jobs that cost credits: the debit applies a
        # subscription renewal that has come due first.
        self.plans = plans
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.repo = JobsRepository(uow_or_session.session)
        else:
            self.uow = None
            self.repo = JobsRepository(uow_or_session)

    # --- reads ----------------------------------------------------------------------------------

    async def get(self, principal: Principal, job_id: str) -> Job:
        principal.require("jobs.jobs.read")
        job = await self.repo.get(parse_job_id(job_id), workspace_id=principal.workspace_id)
        if job is None:
            raise NotFound("Job not found.")
        return job

    async def state(self, workspace_id: str, job_id: str) -> Job:
        """A job as it stands, for the request that created it (it needs no permission to read its own job)."""
        job = await self.repo.get(job_id, workspace_id=workspace_id)
        if job is None:
            raise NotFound("Job not found.")
        return job

    async def page(self, principal: Principal, f: JobFilter, request: PageRequest) -> Page[Job]:
        """Newest first, paged by key (``request.after`` is a cursor this list handed out)."""
        principal.require("jobs.jobs.read")
        limit = max(1, min(request.limit, MAX_PAGE_SIZE))
        cursor = decode_cursor(request.after) if request.after else None
        rows, total = await self.repo.page(
            principal.workspace_id, kinds=f.kinds, statuses=f.statuses, limit=limit + 1, after=cursor
        )
        jobs = rows[:limit]
        return Page(jobs, total, limit=limit, cursors=[encode_cursor(j) for j in jobs], more=len(rows) > limit)

    async def events(self, principal: Principal, job_id: str, after_seq: int = 0) -> list[JobEvent]:
        job = await self.get(principal, job_id)
        return await self.repo.events_after(job.id, after_seq)

    async def events_between(self, job: Job, after_seq: int, upto_seq: int) -> list[JobEvent]:
        """Events ``after_seq < seq <= upto_seq`` of a job the caller already holds (refilling a gap)."""
        return await self.repo.events_after(job.id, after_seq, upto_seq)

    async def callbacks(
        self, principal: Principal, job_id: str
    ) -> list[tuple[CallbackDelivery, list[CallbackAttempt]]]:
        job = await self.get(principal, job_id)
        deliveries = await self.repo.deliveries_for_job(job.id)
        attempts = await self.repo.attempts_for([d.id for d in deliveries]) if deliveries else []
        by_delivery: dict[int, list[CallbackAttempt]] = {}
        for attempt in attempts:
            by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
        return [(d, by_delivery.get(d.id, [])) for d in deliveries]

    # --- writes (need a unit of work) -----------------------------------------------------------

    def _require_uow(self) -> UnitOfWork:
        if self.uow is None:
            raise RuntimeError("JobService writes need a UnitOfWork")
        return self.uow

    async def create(
        self,
        principal: Principal,
        *,
        kind: JobKind[P],
        params: P | Mapping[str, Any],
        callback_url: str | None = None,
        external_tracking_id: str | None = None,
        max_attempts: int | None = None,
        message: str | None = "Queued",
        credits: int = 0,
    ) -> Job:
        """Create a queued job of ``kind``. It is enqueued once the caller's transaction commits.

        ``params`` is the kind's model, or a mapping validated against it here: bad parameters are bad
        input (``InvalidInput``, one ``FieldError`` per problem), while a model of another kind is a
        programming error (``TypeError``). The job stores the model's JSON.

        ``credits``: what the job costs, debited from the workspace in the same transaction
        (``InsufficientCredits`` when short, before anything is written); given back if the job fails or is
        cancelled (``_ended``)."""
        uow = self._require_uow()
        checked = self._params(kind, params)
        if callback_url is not None:
            callback_url = validate_callback_url(callback_url)
        if external_tracking_id is not None and len(external_tracking_id) > 255:
            raise InvalidInput.field("external_tracking_id", "At most 255 characters.")
        if max_attempts is None:
            max_attempts = kind.max_attempts or DEFAULT_MAX_ATTEMPTS
        job_id = str(uuid.uuid4())
        if credits:
            await CreditsService(uow, self.plans).debit(
                principal.workspace_id, credits, LedgerNote(DEBIT, reference=job_id, details={"kind": kind.name})
            )
        now = utcnow()
        job = Job(
            id=job_id,
            workspace_id=principal.workspace_id,
            kind=kind.name,
            status=QUEUED,
            progress=0.0,
            params=checked.model_dump(mode="json"),
            callback_url=callback_url,
            external_tracking_id=external_tracking_id,
            request_id=current_request_id(),
            created_by_user_id=principal.user_id,
            api_key_id=principal.api_key_id,
            max_attempts=max_attempts,
            attempts=0,
            last_seq=0,
            cancel_requested=False,
            credits_charged=credits,
            created_at=now,
            updated_at=now,
        )
        await self.repo.insert(job)
        await self._append(job, "status", message)
        uow.outbox.jobs.append(job.id)
        return job

    @staticmethod
    def _params(kind: JobKind[P], params: P | Mapping[str, Any]) -> P:
        if isinstance(params, Mapping):
            return parse_now(kind.params, dict(params))
        if not isinstance(params, kind.params):
            raise TypeError(f"job kind {kind.name!r} takes {kind.params.__name__}, not {type(params).__name__}")
        return params

    async def cancel(self, principal: Principal, job_id: str) -> Job:
        principal.require("jobs.jobs.manage")
        job = await self.get(principal, job_id)
        locked = await self.repo.get_for_update(job.id)
        assert locked is not None
        if locked.is_terminal:
            raise Conflict(f"The job is already {locked.status}.", code="job_finished")
        if locked.status == QUEUED:
            await self._transition(locked, CANCELLED, "Cancelled before it started.")
        elif not locked.cancel_requested:
            locked.cancel_requested = True
            await self._append(locked, "progress", "Cancellation requested.")
        return locked

    # --- transitions used by the runner ---------------------------------------------------------

    async def claim(self, job_id: str) -> Job | None:
        """queued -> processing, or None when the job is not (any longer) queued."""
        job = await self.repo.get_for_update(job_id)
        if job is None or job.status != QUEUED:
            return None
        if job.cancel_requested:
            await self._transition(job, CANCELLED, "Cancelled before it started.")
            return None
        job.attempts += 1
        job.started_at = job.started_at or utcnow()
        job.heartbeat_at = utcnow()
        await self._transition(job, PROCESSING, f"Processing (attempt {job.attempts} of {job.max_attempts}).")
        return job

    async def report_progress(
        self, job_id: str, fraction: float, message: str | None, data: dict[str, Any] | None
    ) -> bool:
        """Record progress; returns whether cancellation has been requested."""
        return await self.report_progress_many(job_id, [ProgressReport(fraction, message, data)])

    async def report_progress_many(self, job_id: str, reports: Sequence[ProgressReport]) -> bool:
        """Record several progress reports in their order: one event each (consecutive ``seq``), in two
        statements: the job's row updated (which locks it, and takes the events' sequence numbers), then one
        insert of the events. Returns whether cancellation has been requested (or the job is not processing)."""
        if not reports:
            return await self.repo.cancel_requested(job_id)
        uow = self._require_uow()
        now = utcnow()
        fractions = [max(0.0, min(1.0, float(report.fraction))) for report in reports]
        messages = [report.message for report in reports if report.message is not None]
        advanced = await self.repo.advance_progress(
            job_id, events=len(reports), progress=fractions[-1], message=messages[-1] if messages else None, now=now
        )
        if advanced is None:
            return True
        first = advanced.last_seq - len(reports) + 1
        events = [
            JobEvent(
                job_id=job_id,
                workspace_id=advanced.workspace_id,
                seq=first + i,
                type="progress",
                status=advanced.status,
                progress=fraction,
                message=report.message,
                data=report.data,
                created_at=now,
            )
            for i, (report, fraction) in enumerate(zip(reports, fractions, strict=True))
        ]
        await self.repo.insert_events(events)
        uow.outbox.events.extend(_event_message(job_id, advanced.workspace_id, advanced.kind, e) for e in events)
        return bool(advanced.cancel_requested)

    async def complete(self, job_id: str, result: dict[str, Any] | None, message: str = "Completed") -> None:
        # Light: the job's params (a bulk job's every product) are neither needed nor decoded to write its result.
        job = await self.repo.get_for_update(job_id, light=True)
        if job is None or job.status != PROCESSING:
            return
        job.result = result
        job.progress = 1.0
        await self._transition(job, COMPLETED, message)

    async def fail(self, job_id: str, code: str, message: str) -> None:
        job = await self.repo.get_for_update(job_id, light=True)
        if job is None or job.is_terminal:
            return
        job.error_code = code
        job.error_message = message
        await self._transition(job, FAILED, message)

    async def mark_cancelled(self, job_id: str) -> None:
        job = await self.repo.get_for_update(job_id)
        if job is None or job.is_terminal:
            return
        await self._transition(job, CANCELLED, "Cancelled.")

    async def requeue_or_fail(self, job_id: str, reason_code: str, reason: str) -> str | None:
        """A processing job whose attempt ended abnormally: queue it again, or fail it when out of attempts.

        Returns the new status (``queued`` or ``failed``), or None when the job was not processing.
        """
        job = await self.repo.get_for_update(job_id)
        if job is None or job.status != PROCESSING:
            return None
        if job.cancel_requested:
            await self._transition(job, CANCELLED, "Cancelled.")
            return CANCELLED
        if job.attempts < job.max_attempts:
            job.heartbeat_at = None
            await self._transition(job, QUEUED, f"{reason} Queued again (attempt {job.attempts + 1}).")
            self._require_uow().outbox.jobs.append(job.id)
            return QUEUED
        job.error_code = reason_code
        job.error_message = f"{reason} Gave up after {job.attempts} attempts."
        await self._transition(job, FAILED, job.error_message)
        return FAILED

    async def recover(self, *, stale_after: timedelta, requeue_queued: bool) -> dict[str, int]:
        """Requeue or fail jobs whose worker stopped heart-beating; re-enqueue queued jobs nobody ran."""
        uow = self._require_uow()
        now = utcnow()
        counts = {"requeued": 0, "failed": 0, "reenqueued": 0}
        for job_id in await self.repo.stale_processing(now - stale_after):
            outcome = await self.requeue_or_fail(
                job_id, "worker_lost", "The worker running this job stopped responding."
            )
            if outcome == QUEUED:
                counts["requeued"] += 1
            elif outcome == FAILED:
                counts["failed"] += 1
        if requeue_queued:
            for job_id in await self.repo.queued_before(now - stale_after):
                uow.outbox.jobs.append(job_id)
                counts["reenqueued"] += 1
        return counts

    async def add_usage(self, job_id: str, prompt_tokens: int, completion_tokens: int) -> None:
        """Add AI token usage to the job's counters (the per-workspace ledger is domain.ai's)."""
        await self.repo.add_usage(job_id, prompt_tokens, completion_tokens)

    # --- internals ------------------------------------------------------------------------------

    async def _transition(self, job: Job, status: str, message: str | None) -> None:
        job.status = status
        job.message = message
        if status in (COMPLETED, FAILED, CANCELLED):
            job.finished_at = utcnow()
        await self._append(job, "status", message)
        if status in (COMPLETED, FAILED, CANCELLED):
            await self._ended(job)

    async def _ended(self, job: Job) -> None:
        """Every terminal transition ends here, once per job (it holds the job's row lock, and a terminal job
        never changes status again): a job that did not complete gives its credits back."""
        if job.status in (FAILED, CANCELLED) and job.credits_charged:
            amount, job.credits_charged = job.credits_charged, 0
            note = LedgerNote(REFUND, reference=job.id, details={"kind": job.kind, "status": job.status})
            await CreditsService(self._require_uow()).refund(job.workspace_id, amount, note)
        await job_ended(self._require_uow(), job)  # the workspace's job.completed / job.failed webhooks

    def _new_event(self, job: Job, type_: str, message: str | None, data: dict[str, Any] | None = None) -> JobEvent:
        """The job's next event (``seq``), in the outbox; the caller writes it."""
        uow = self._require_uow()
        now = utcnow()
        job.last_seq += 1
        job.updated_at = now
        event = JobEvent(
            job_id=job.id,
            workspace_id=job.workspace_id,
            seq=job.last_seq,
            type=type_,
            status=job.status,
            progress=job.progress,
            message=message,
            data=data,
            created_at=now,
        )
        uow.outbox.events.append(event_message(job, event))
        return event

    async def _append(self, job: Job, type_: str, message: str | None, data: dict[str, Any] | None = None) -> JobEvent:
        uow = self._require_uow()
        event = self._new_event(job, type_, message, data)
        now = event.created_at
        await self.repo.insert(event)
        if type_ == "status" and job.callback_url:
            delivery = CallbackDelivery(
                job_id=job.id,
                workspace_id=job.workspace_id,
                event_seq=event.seq,
                url=job.callback_url,
                payload=callback_payload(job, event),
                status=DELIVERY_PENDING,
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            await self.repo.insert(delivery)
            uow.outbox.deliveries.append(delivery.id)
        return event
