"""All SQL for jobs, their events and callback deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Exists, Row, and_, func, insert, or_, select, update
from sqlalchemy.orm import aliased, defer

from domain.jobs.models import DELIVERY_PENDING, PROCESSING, QUEUED, CallbackAttempt, CallbackDelivery, Job, JobEvent
from domain.repository import Repository


class JobsRepository(Repository):
    async def get(self, job_id: str, *, workspace_id: str | None = None) -> Job | None:
        stmt = select(Job).where(Job.id == job_id)
        if workspace_id is not None:
            stmt = stmt.where(Job.workspace_id == workspace_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_for_update(self, job_id: str, *, light: bool = False) -> Job | None:
        """The job, locked until the transaction ends, so event sequence numbers are handed out one at a time.

        (On SQLite, which ignores FOR UPDATE, write transactions begin IMMEDIATE and so hold the database's
        write lock from their start: see domain.db.) ``light`` leaves params and result unloaded, for the
        frequent progress updates of jobs with large inputs.
        """
        stmt = select(Job).where(Job.id == job_id).with_for_update().execution_options(populate_existing=True)
        if light:
            stmt = stmt.options(defer(Job.params), defer(Job.result))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_ids(self, workspace_id: str, ids: Sequence[str]) -> dict[str, Job]:
        stmt = select(Job).where(Job.workspace_id == workspace_id, Job.id.in_(ids))
        return {j.id: j for j in (await self.session.execute(stmt)).scalars()}

    async def page(
        self,
        workspace_id: str,
        *,
        kinds: Sequence[str] | None,
        statuses: Sequence[str] | None,
        limit: int,
        after: tuple[datetime, str] | None,
    ) -> tuple[list[Job], int]:
        where = [Job.workspace_id == workspace_id]
        if kinds:
            where.append(Job.kind.in_(kinds))
        if statuses:
            where.append(Job.status.in_(statuses))
        total = (await self.session.execute(select(func.count()).select_from(Job).where(*where))).scalar_one()
        stmt = select(Job).where(*where)
        if after is not None:
            created, job_id = after
            stmt = stmt.where(or_(Job.created_at < created, and_(Job.created_at == created, Job.id < job_id)))
        stmt = stmt.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars()), int(total)

    async def newest_first(
        self,
        workspace_id: str,
        *,
        kind_prefix: str,
        kinds: Sequence[str] | None = None,
        limit: int,
        after: tuple[datetime, str] | None = None,
    ) -> list[Job]:
        """The workspace's jobs whose kind starts with ``kind_prefix`` (and is one of ``kinds``, when given),
        newest first, after the key ``(created_at, id)`` of the last job of the previous page."""
        stmt = select(Job).where(*self._prefixed(workspace_id, kind_prefix, kinds))
        if after is not None:
            created, job_id = after
            stmt = stmt.where(or_(Job.created_at < created, and_(Job.created_at == created, Job.id < job_id)))
        stmt = stmt.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    async def count_prefixed(self, workspace_id: str, *, kind_prefix: str, kinds: Sequence[str] | None = None) -> int:
        stmt = select(func.count()).select_from(Job).where(*self._prefixed(workspace_id, kind_prefix, kinds))
        return int((await self.session.execute(stmt)).scalar_one())

    @staticmethod
    def _prefixed(workspace_id: str, kind_prefix: str, kinds: Sequence[str] | None) -> list[ColumnElement[bool]]:
        where = [Job.workspace_id == workspace_id, Job.kind.startswith(kind_prefix, autoescape=True)]
        if kinds:
            where.append(Job.kind.in_(kinds))
        return where

    async def events_after(self, job_id: str, after_seq: int, upto_seq: int | None = None) -> list[JobEvent]:
        stmt = select(JobEvent).where(JobEvent.job_id == job_id, JobEvent.seq > after_seq)
        if upto_seq is not None:
            stmt = stmt.where(JobEvent.seq <= upto_seq)
        return list((await self.session.execute(stmt.order_by(JobEvent.seq))).scalars())

    async def stale_processing(self, heartbeat_before: datetime, limit: int = 100) -> list[str]:
        stmt = (
            select(Job.id)
            .where(Job.status == PROCESSING, or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < heartbeat_before))
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def queued_before(self, created_before: datetime, limit: int = 500) -> list[str]:
        stmt = (
            select(Job.id)
            .where(Job.status == QUEUED, Job.updated_at < created_before)
            .order_by(Job.created_at)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def advance_progress(
        self, job_id: str, *, events: int, progress: float, message: str | None, now: datetime
    ) -> Row[int, str, str, str, bool] | None:
        """A processing job's progress, in one statement that also locks its row until the transaction ends: its
        next ``events`` sequence numbers taken, its progress, message (unless None), heartbeat and update time
        set. Returns the row's ``last_seq``, ``workspace_id``, ``kind``, ``status`` and ``cancel_requested``
        after the update; None when the job is not processing (or not there)."""
        values: dict[str, Any] = {
            "last_seq": Job.last_seq + events,
            "progress": progress,
            "heartbeat_at": now,
            "updated_at": now,
        }
        if message is not None:
            values["message"] = message
        stmt = (
            update(Job)
            .where(Job.id == job_id, Job.status == PROCESSING)
            .values(values)
            .returning(Job.last_seq, Job.workspace_id, Job.kind, Job.status, Job.cancel_requested)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).one_or_none()

    async def insert_events(self, events: Sequence[JobEvent]) -> None:
        """Several new events in one statement (their ids are not read back)."""
        columns = ("job_id", "workspace_id", "seq", "type", "status", "progress", "message", "data", "created_at")
        rows = [{c: getattr(e, c) for c in columns} for e in events]
        await self.session.execute(insert(JobEvent), rows)

    async def cancel_requested(self, job_id: str) -> bool:
        """Whether cancellation of the job was requested (one column: a running job's params can be large)."""
        stmt = select(Job.cancel_requested).where(Job.id == job_id)
        return bool((await self.session.execute(stmt)).scalar())

    async def heartbeat(self, job_id: str, when: datetime) -> None:
        await self.session.execute(
            update(Job).where(Job.id == job_id, Job.status == PROCESSING).values(heartbeat_at=when)
        )

    async def add_usage(self, job_id: str, prompt_tokens: int, completion_tokens: int) -> None:
        await self.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                prompt_tokens=Job.prompt_tokens + prompt_tokens,
                completion_tokens=Job.completion_tokens + completion_tokens,
            )
        )

    async def count_by_kind_and_status(self) -> list[tuple[str, str, int]]:
        """How many jobs of each kind are in each status, over every workspace (for the operator's metrics)."""
        stmt = select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)
        return [(kind, status, int(count)) for kind, status, count in (await self.session.execute(stmt)).all()]

    # --- callback deliveries --------------------------------------------------------------------

    async def get_delivery(self, delivery_id: int) -> CallbackDelivery | None:
        return await self.session.get(CallbackDelivery, delivery_id)

    async def deliveries_for_job(self, job_id: str) -> list[CallbackDelivery]:
        stmt = select(CallbackDelivery).where(CallbackDelivery.job_id == job_id).order_by(CallbackDelivery.id)
        return list((await self.session.execute(stmt)).scalars())

    async def attempts_for(self, delivery_ids: Sequence[int]) -> list[CallbackAttempt]:
        stmt = (
            select(CallbackAttempt)
            .where(CallbackAttempt.delivery_id.in_(delivery_ids))
            .order_by(CallbackAttempt.delivery_id, CallbackAttempt.attempt)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def claim_delivery(self, delivery_id: int, token: str, *, now: datetime, until: datetime) -> bool:
        """Lease a pending delivery to ``token`` until ``until``: only when no one holds a live lease on it and
        every earlier delivery of its job is delivered or failed. One statement, so two senders racing for the
        same delivery cannot both win."""
        stmt = (
            update(CallbackDelivery)
            .where(
                CallbackDelivery.id == delivery_id,
                CallbackDelivery.status == DELIVERY_PENDING,
                or_(CallbackDelivery.claimed_until.is_(None), CallbackDelivery.claimed_until < now),
                ~_earlier_pending(),
            )
            .values(claimed_by=token, claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        result = cast(CursorResult[Any], await self.session.execute(stmt))
        return result.rowcount == 1

    async def leased_delivery(self, delivery_id: int, token: str) -> CallbackDelivery | None:
        """The delivery, locked, while ``token`` still holds its lease (None once another sender took it)."""
        stmt = (
            select(CallbackDelivery)
            .where(CallbackDelivery.id == delivery_id, CallbackDelivery.claimed_by == token)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def next_pending_delivery(self, job_id: str | None, subscription_id: str | None = None) -> int | None:
        """The first delivery still pending of a job's line (or of a webhook subscription's), in event order."""
        line = (
            CallbackDelivery.job_id == job_id
            if job_id is not None
            else CallbackDelivery.subscription_id == subscription_id
        )
        stmt = (
            select(CallbackDelivery.id)
            .where(line, CallbackDelivery.status == DELIVERY_PENDING)
            .order_by(CallbackDelivery.event_seq)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def deliveries_to_resume(self, now: datetime, limit: int = 200) -> list[int]:
        """Pending deliveries first in their job's line that no one holds (never claimed, or their sender's
        lease ran out): what recovery hands to a sender again."""
        stmt = (
            select(CallbackDelivery.id)
            .where(
                CallbackDelivery.status == DELIVERY_PENDING,
                or_(CallbackDelivery.claimed_until.is_(None), CallbackDelivery.claimed_until < now),
                ~_earlier_pending(),
            )
            .order_by(CallbackDelivery.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())


def _earlier_pending() -> Exists:
    """Whether the (correlated) delivery has an earlier one of the same line (its job's, or its webhook
    subscription's) still pending. A NULL line column compares equal to nothing, so lines never mix."""
    earlier = aliased(CallbackDelivery)
    return (
        select(earlier.id)
        .where(
            or_(earlier.job_id == CallbackDelivery.job_id, earlier.subscription_id == CallbackDelivery.subscription_id),
            earlier.event_seq < CallbackDelivery.event_seq,
            earlier.status == DELIVERY_PENDING,
        )
        .exists()
    )
