"""Jobs, their events and their callback deliveries: types, queries, the cancel mutation, subscriptions."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from domain.jobs import models
from domain.jobs.service import JobFilter, JobService
from resolvers import jobs as job_streams
from schema.errors import Payload, payload_mutation
from schema.fanout import share, shared
from schema.from_model import FromModel
from schema.relay import Connection, Node, keyset_request, raw_id_for, to_global_id
from schema.types import Info


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
class CallbackAttempt(FromModel):
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime


@strawberry.type
class CallbackDelivery(FromModel):
    event_seq: int
    url: str
    status: str
    attempts: list[CallbackAttempt]


@strawberry.type(description="One entry of a job's ordered history, or (type snapshot) its current state.")
class JobEvent(FromModel):
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


@strawberry.type
class Job(Node, FromModel):
    rest_id = "job_id"

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

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: JobService(s).get(p, raw_id)))

    @strawberry.field(description="The job's history after the given sequence number, in order.")
    async def events(self, info: Info, after_seq: int = 0) -> list[JobEvent]:
        rows = await info.context.read(lambda s, p: JobService(s).events(p, self.job_id, after_seq))
        return [
            JobEvent.build(e, job_id=self.id, raw_job_id=self.job_id, kind=self.kind, status=JobStatus(e.status))
            for e in rows
        ]

    @strawberry.field(description="Every callback POST for this job, with each attempt.")
    async def callback_deliveries(self, info: Info) -> list[CallbackDelivery]:
        deliveries = await info.context.read(lambda s, p: JobService(s).callbacks(p, self.job_id))
        return [
            CallbackDelivery.build(delivery, attempts=[CallbackAttempt.from_model(a) for a in attempts])
            for delivery, attempts in deliveries
        ]

    @classmethod
    def from_model(cls, model: models.Job) -> Self:
        error = JobError(code=model.error_code, message=model.error_message or "") if model.error_code else None
        return cls.build(model, status=JobStatus(model.status), error=error)


@strawberry.input(name="JobFilter")
class JobFilterInput:
    kinds: list[str] | None = None
    statuses: list[JobStatus] | None = None


@strawberry.type
class CancelJobPayload(Payload):
    job: Job | None = None


def job_id_arg(value: str) -> str:
    """Accept a job's global id or its raw id."""
    try:
        return str(uuid.UUID(value.removeprefix("job_")))
    except ValueError:
        return raw_id_for("Job", value)


@strawberry.type
class JobQuery:
    @strawberry.field
    async def job(self, info: Info, id: strawberry.ID) -> Job:
        return Job.from_model(await info.context.read(lambda s, p: JobService(s).get(p, job_id_arg(id))))

    @strawberry.field(description="The workspace's jobs, newest first, at most 100 a page.")
    async def jobs(
        self, info: Info, first: int = 20, after: str | None = None, filter: JobFilterInput | None = None
    ) -> Connection[Job]:
        principal = await info.context.principal()
        f = filter or JobFilterInput()
        job_filter = JobFilter(kinds=f.kinds, statuses=[s.value for s in f.statuses or []] or None)
        request = keyset_request(first, after)
        page = await info.context.scope.read(lambda s: JobService(s).page(principal, job_filter, request))
        return Connection.of(page, Job.from_model)


@strawberry.type
class JobMutation:
    @payload_mutation(description="Cancel a queued job at once, or ask a running one to stop.")
    async def cancel_job(self, info: Info, id: strawberry.ID) -> CancelJobPayload:
        job = await info.context.write(lambda uow, p: JobService(uow).cancel(p, job_id_arg(id)))
        return CancelJobPayload(job=Job.from_model(job))


@strawberry.type
class JobSubscription:
    @strawberry.subscription(
        description="The job's current state first, then every later event in order; completes after the "
        "terminal event."
    )
    async def job_progress(self, info: Info, id: strawberry.ID) -> AsyncGenerator[JobEvent, None]:
        principal = await info.context.principal()
        async for message in job_streams.stream_job(info.context.services, principal, job_id_arg(id)):
            yield shared(message, principal, JobEvent.from_message)

    @strawberry.subscription(description="Every event of every job of the workspace, optionally by kind.")
    async def job_events(self, info: Info, kinds: list[str] | None = None) -> AsyncGenerator[JobEvent, None]:
        principal = await info.context.principal()
        share(principal)  # every subscriber of the same document, variables and audience gets the same events
        async for message in job_streams.stream_workspace(info.context.services, principal, kinds):
            yield shared(message, principal, JobEvent.from_message)
