"""Shopwright's own REST view of jobs (``/v1/jobs``), errors as ``{"code", "message"}``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.errors import InvalidInput
from domain.jobs.models import Job, JobEvent
from domain.jobs.service import encode_cursor
from resolvers import jobs as job_resolvers
from resolvers.rest.common import Surface, code_message_error, endpoint, principal_for, services_of

SURFACE = Surface(name="shopwright", prefix="/v1", render_error=code_message_error, allow_x_api_key=True)


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
        "error": {"code": job.error_code, "message": job.error_message} if job.error_code else None,
        "external_tracking_id": job.external_tracking_id,
        "callback_url": job.callback_url,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "cancel_requested": job.cancel_requested,
        "usage": {"prompt_tokens": job.prompt_tokens, "completion_tokens": job.completion_tokens},
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def event_json(event: JobEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "type": event.type,
        "status": event.status,
        "progress": event.progress,
        "message": event.message,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput.field(name, f"{name} must be an integer.") from None


@endpoint(SURFACE)
async def list_jobs(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    page = await job_resolvers.list_jobs(
        services_of(request),
        principal,
        kinds=request.query_params.getlist("kind") or None,
        statuses=request.query_params.getlist("status") or None,
        first=_int_param(request, "limit", 20),
        after=request.query_params.get("after"),
    )
    return JSONResponse(
        {
            "data": [job_json(j) for j in page.jobs],
            "total": page.total,
            "next": encode_cursor(page.jobs[-1]) if page.has_next and page.jobs else None,
        }
    )


@endpoint(SURFACE)
async def get_job(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    job = await job_resolvers.get_job(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(job_json(job))


@endpoint(SURFACE)
async def cancel_job(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    job = await job_resolvers.cancel_job(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(job_json(job))


@endpoint(SURFACE)
async def list_events(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    events = await job_resolvers.job_events(
        services_of(request), principal, request.path_params["job_id"], _int_param(request, "after", 0)
    )
    return JSONResponse({"data": [event_json(e) for e in events]})


@endpoint(SURFACE)
async def list_callbacks(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    deliveries = await job_resolvers.job_callbacks(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(
        {
            "data": [
                {
                    "id": delivery.id,
                    "event_seq": delivery.event_seq,
                    "url": delivery.url,
                    "status": delivery.status,
                    "attempts": [
                        {
                            "attempt": a.attempt,
                            "status_code": a.status_code,
                            "error": a.error,
                            "duration_ms": a.duration_ms,
                            "created_at": a.created_at.isoformat(),
                        }
                        for a in attempts
                    ],
                }
                for delivery, attempts in deliveries
            ]
        }
    )


routes = [
    Route("/v1/jobs", list_jobs, methods=["GET"]),
    Route("/v1/jobs/{job_id}", get_job, methods=["GET"]),
    Route("/v1/jobs/{job_id}/cancel", cancel_job, methods=["POST"]),
    Route("/v1/jobs/{job_id}/events", list_events, methods=["GET"]),
    Route("/v1/jobs/{job_id}/callbacks", list_callbacks, methods=["GET"]),
]
