"""Shopwright's own REST view of jobs (``/v1/jobs``); errors as ``{"code", "message"}``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.jobs.models import CallbackAttempt, CallbackDelivery, Job, JobEvent
from domain.jobs.service import JobFilter, JobService
from domain.paging import MAX_PAGE_SIZE, PageRequest
from resolvers.jsonenc import JSONResponse
from resolvers.rest.bodies import Body
from resolvers.rest.surface import Call, Dialect, RateLimit, Router, Surface

router = Router(tags=["jobs"])

JobStatusName = Literal["queued", "processing", "completed", "failed", "cancelled"]


class JobErrorJson(TypedDict):
    code: str
    message: str | None


class UsageJson(TypedDict):
    prompt_tokens: int
    completion_tokens: int


class JobJson(TypedDict):
    id: str
    kind: str
    status: str
    progress: float
    message: str | None
    result: dict[str, Any] | None
    error: JobErrorJson | None
    external_tracking_id: str | None
    callback_url: str | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    usage: UsageJson
    created_at: str
    updated_at: str
    started_at: str | None
    finished_at: str | None


class JobListJson(TypedDict):
    data: list[JobJson]
    total: int
    next: str | None


class JobEventJson(TypedDict):
    seq: int
    type: str
    status: str
    progress: float
    message: str | None
    data: dict[str, Any] | None
    created_at: str


class JobEventListJson(TypedDict):
    data: list[JobEventJson]


class CallbackAttemptJson(TypedDict):
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: str


class CallbackDeliveryJson(TypedDict):
    id: int
    event_seq: int
    url: str
    status: str
    attempts: list[CallbackAttemptJson]


class CallbackListJson(TypedDict):
    data: list[CallbackDeliveryJson]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _error(job: Job) -> JobErrorJson | None:
    return {"code": job.error_code, "message": job.error_message} if job.error_code else None


def _usage(job: Job) -> UsageJson:
    return {"prompt_tokens": job.prompt_tokens, "completion_tokens": job.completion_tokens}


job_json = Body(Job, JobJson, stamp=iso, computed={"error": _error, "usage": _usage})
event_json = Body(JobEvent, JobEventJson, stamp=iso)
_DELIVERY = Body(CallbackDelivery, CallbackDeliveryJson, passed={"attempts"})
_ATTEMPT = Body(CallbackAttempt, CallbackAttemptJson, stamp=iso)


def delivery_json(delivery: CallbackDelivery, attempts: list[CallbackAttempt]) -> CallbackDeliveryJson:
    return _DELIVERY(delivery, attempts=[_ATTEMPT(a) for a in attempts])


class JobPath(BaseModel):
    job_id: str = Field(description="The job's id (a UUID, optionally prefixed `job_`).")


class JobListQuery(BaseModel):
    kind: list[str] = Field(default_factory=list, description="Only jobs of these kinds (repeatable).")
    status: list[JobStatusName] = Field(default_factory=list, description="Only jobs in these statuses (repeatable).")
    limit: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE, description="Jobs per page.")
    after: str | None = Field(default=None, description="The `next` cursor of the previous page.")


class EventsQuery(BaseModel):
    after: int = Field(default=0, ge=0, le=2**31 - 1, description="Only events with a greater `seq`.")


@router.get("/jobs", permission="jobs.jobs.read", response=JobListJson)
async def list_jobs(call: Call, query: JobListQuery) -> Response:
    """The workspace's jobs, newest first."""
    f = JobFilter(kinds=query.kind or None, statuses=list(query.status) or None)
    page = await call.read(lambda s, p: JobService(s).page(p, f, PageRequest(limit=query.limit, after=query.after)))
    body: JobListJson = {"data": [job_json(j) for j in page.items], "total": page.total, "next": page.next_after}
    return JSONResponse(body)


@router.get("/jobs/{job_id}", permission="jobs.jobs.read", response=JobJson)
async def get_job(call: Call, path: JobPath) -> Response:
    """One job: status, progress, result or error, usage."""
    job = await call.read(lambda s, p: JobService(s).get(p, path.job_id))
    return JSONResponse(job_json(job))


@router.post("/jobs/{job_id}/cancel", permission="jobs.jobs.manage", response=JobJson, responses={409: "Finished"})
async def cancel_job(call: Call, path: JobPath) -> Response:
    """Cancel a queued job at once, or ask a running one to stop."""
    job = await call.write(lambda uow, p: JobService(uow).cancel(p, path.job_id))
    return JSONResponse(job_json(job))


@router.get("/jobs/{job_id}/events", permission="jobs.jobs.read", response=JobEventListJson)
async def list_events(call: Call, path: JobPath, query: EventsQuery) -> Response:
    """The job's history after a sequence number, in order."""
    events = await call.read(lambda s, p: JobService(s).events(p, path.job_id, query.after))
    return JSONResponse({"data": [event_json(e) for e in events]})


@router.get("/jobs/{job_id}/callbacks", permission="jobs.jobs.read", response=CallbackListJson)
async def list_callbacks(call: Call, path: JobPath) -> Response:
    """Every callback POST for the job, with each attempt."""
    deliveries = await call.read(lambda s, p: JobService(s).callbacks(p, path.job_id))
    body: CallbackListJson = {"data": [delivery_json(delivery, attempts) for delivery, attempts in deliveries]}
    return JSONResponse(body)


SURFACE = Surface(
    name="shopwright",
    prefix="/v1",
    title="Shopwright jobs API",
    description="The service's own REST view of background jobs. Live progress is a GraphQL subscription.",
    dialect=Dialect(),
    routers=[router],
    allow_x_api_key=True,
    # No limit unless an operator sets one (SHOPWRIGHT_RATE_LIMITS {"shopwright.all": N}).
    rate_limits=[RateLimit("all", 0)],
)
