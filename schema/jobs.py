"""Jobs, their events and their callback deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.jobs import models
from resolvers import jobs as job_resolvers
from resolvers.context import RequestContext
from schema.errors import UserError, call
from schema.node import Node, raw_id_for, to_global_id

Info = strawberry.Info[RequestContext, None]


@strawberry.enum
class JobStatus(Enum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@strawberry.type
class JobError:
    code: str
    message: str


@strawberry.type
class CallbackAttempt:
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime


@strawberry.type
class CallbackDelivery:
    event_seq: int
    url: str
    status: str
    attempts: list[CallbackAttempt]


@strawberry.type(description="One entry of a job's ordered history, or (type snapshot) its current state.")
class JobEvent:
    job_id: strawberry.ID = strawberry.field(description="The job's global id.")
    raw_job_id: str
    kind: str
    seq: int
    type: str
    status: JobStatus
    progress: float
    message: str | None
    data: JSON | None
    created_at: datetime

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> JobEvent:
        return cls(
            job_id=to_global_id("Job", message["job_id"]),
            raw_job_id=message["job_id"],
            kind=message["kind"],
            seq=int(message["seq"]),
            type=message["type"],
            status=JobStatus(message["status"]),
            progress=float(message["progress"]),
            message=message.get("message"),
            data=cast(JSON, message.get("data")),
            created_at=datetime.fromisoformat(message["created_at"]),
        )

    @classmethod
    def from_model(cls, job: models.Job, event: models.JobEvent) -> JobEvent:
        return cls(
            job_id=to_global_id("Job", job.id),
            raw_job_id=job.id,
            kind=job.kind,
            seq=event.seq,
            type=event.type,
            status=JobStatus(event.status),
            progress=event.progress,
            message=event.message,
            data=cast(JSON, event.data),
            created_at=event.created_at,
        )


@strawberry.type
class Job(Node):
    job_id: str = strawberry.field(description="The id the REST surfaces use.")
    kind: str
    status: JobStatus
    progress: float
    message: str | None
    params: JSON
    result: JSON | None
    error: JobError | None
    external_tracking_id: str | None
    callback_url: str | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    prompt_tokens: int
    completion_tokens: int
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    model: strawberry.Private[models.Job]

    @strawberry.field(description="The job's history after the given sequence number, in order.")
    async def events(self, info: Info, after_seq: int = 0) -> list[JobEvent]:
        principal = await call(info.context.principal)
        rows = await call(lambda: job_resolvers.job_events(info.context.services, principal, self.job_id, after_seq))
        return [JobEvent.from_model(self.model, e) for e in rows]

    @strawberry.field(description="Every callback POST for this job, with each attempt.")
    async def callback_deliveries(self, info: Info) -> list[CallbackDelivery]:
        principal = await call(info.context.principal)
        deliveries = await call(lambda: job_resolvers.job_callbacks(info.context.services, principal, self.job_id))
        return [
            CallbackDelivery(
                event_seq=delivery.event_seq,
                url=delivery.url,
                status=delivery.status,
                attempts=[
                    CallbackAttempt(
                        attempt=a.attempt,
                        status_code=a.status_code,
                        error=a.error,
                        duration_ms=a.duration_ms,
                        created_at=a.created_at,
                    )
                    for a in attempts
                ],
            )
            for delivery, attempts in deliveries
        ]

    @classmethod
    def from_model(cls, job: models.Job) -> Job:
        return cls(
            id=to_global_id("Job", job.id),
            job_id=job.id,
            kind=job.kind,
            status=JobStatus(job.status),
            progress=job.progress,
            message=job.message,
            params=cast(JSON, job.params),
            result=cast(JSON, job.result),
            error=JobError(code=job.error_code, message=job.error_message or "") if job.error_code else None,
            external_tracking_id=job.external_tracking_id,
            callback_url=job.callback_url,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            cancel_requested=job.cancel_requested,
            prompt_tokens=job.prompt_tokens,
            completion_tokens=job.completion_tokens,
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            model=job,
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class JobEdge:
    cursor: str
    node: Job


@strawberry.type
class JobConnection:
    edges: list[JobEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class CancelJobPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def job_id_arg(value: str) -> str:
    """Accept a job's global id or its raw id."""
    try:
        return str(uuid.UUID(value.removeprefix("job_")))
    except ValueError:
        return raw_id_for("Job", value)
