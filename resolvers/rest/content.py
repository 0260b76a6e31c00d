"""The content-services surface (``/brandbrain/...``): content generation jobs and content configurations.

Dialect: ``{"job_id"}`` on submit, ``{"status","message"}`` for status, ``{"code","message"}`` errors
(plus ``errors`` with field paths on bad input, and ``detail`` where the document's error model has it),
``Authorization: Bearer`` or ``x-api-key``. Translation only; the rules live in ``domain.content``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.content.configs import SavedConfig
from domain.content.service import JobNotFinished
from domain.errors import DomainError
from domain.jobs.models import COMPLETED, FAILED, Job
from resolvers import content as content_resolvers
from resolvers.rest.common import (
    Handler,
    Surface,
    code_message_error,
    endpoint,
    principal_for,
    read_json,
    services_of,
)

PREFIX = "/brandbrain"


def render_error(status: int, error: DomainError) -> Response:
    """``{"code","message"}``; a result asked for too early also says the job's status in ``detail``."""
    if isinstance(error, JobNotFinished):
        body = {"code": error.code, "message": error.message, "detail": {"status": error.job_status}}
        return JSONResponse(body, status_code=status)
    return code_message_error(status, error)


SURFACE = Surface(name="content-services", prefix=PREFIX, render_error=render_error, allow_x_api_key=True)

STATUS_MESSAGES = {
    "queued": "The job is queued.",
    "processing": "The job is processing.",
    COMPLETED: "The job has completed successfully.",
    "cancelled": "The job was cancelled.",
}


def status_json(job: Job) -> dict[str, Any]:
    """The document's status names are ours (queued, processing, completed, failed, cancelled)."""
    if job.status == FAILED:
        message = f"The job has failed: {job.error_message or job.message or 'unknown error'}"
    elif job.status == "processing" and job.message:
        message = job.message
    else:
        message = STATUS_MESSAGES.get(job.status, job.message or job.status)
    return {"status": job.status, "message": message}


def config_summary(config: SavedConfig) -> dict[str, Any]:
    return {
        "config_id": config.config_id,
        "name": config.name,
        "description": config.description,
        "scope": config.scope,
    }


def config_json(config: SavedConfig) -> dict[str, Any]:
    return {
        "config_id": config.config_id,
        "name": config.name,
        "description": config.description,
        "content_config": config.content_config,
        "scope": config.scope,
        "created_at": config.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": config.updated_at.isoformat().replace("+00:00", "Z"),
    }


@endpoint(SURFACE)
async def submit_job(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    job = await content_resolvers.submit_generation(services_of(request), principal, await read_json(request))
    return JSONResponse({"job_id": job.id})


@endpoint(SURFACE)
async def job_status(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    job = await content_resolvers.get_generation_job(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(status_json(job))


@endpoint(SURFACE)
async def job_result(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    result = await content_resolvers.generation_result(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(result)


@endpoint(SURFACE)
async def job_config(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    config = await content_resolvers.used_config(services_of(request), principal, request.path_params["job_id"])
    return JSONResponse(config)


@endpoint(SURFACE)
async def job_feedback(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    row = await content_resolvers.submit_feedback(
        services_of(request), principal, request.path_params["job_id"], await read_json(request)
    )
    return JSONResponse(
        {
            "feedback_id": row.id,
            "job_id": row.job_id,
            "product_id": row.product_id,
            "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
        },
        status_code=201,
    )


@endpoint(SURFACE)
async def list_configs(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    scope = request.query_params.get("scope")
    configs = await content_resolvers.list_configs(services_of(request), principal, scope)
    return JSONResponse([config_summary(c) for c in configs])


@endpoint(SURFACE)
async def create_config(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    config = await content_resolvers.create_config(services_of(request), principal, await read_json(request))
    return JSONResponse(config_json(config), status_code=201)


@endpoint(SURFACE)
async def get_config(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    config = await content_resolvers.get_config(services_of(request), principal, request.path_params["config_id"])
    return JSONResponse(config_json(config))


@endpoint(SURFACE)
async def replace_config(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    config = await content_resolvers.replace_config(
        services_of(request), principal, request.path_params["config_id"], await read_json(request)
    )
    return JSONResponse(config_json(config))


@endpoint(SURFACE)
async def delete_config(request: Request) -> Response:
    principal = await principal_for(request, SURFACE)
    await content_resolvers.delete_config(services_of(request), principal, request.path_params["config_id"])
    return Response(status_code=204)


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"


def by_method(**handlers: Handler) -> Handler:
    """One route per path, so a wrong method is answered in this surface's dialect too (405)."""

    @endpoint(SURFACE)
    async def dispatch(request: Request) -> Response:
        handler = handlers.get(request.method.lower())
        if handler is None:
            allowed = ", ".join(sorted(m.upper() for m in handlers))
            raise MethodNotAllowed(f"{request.method} is not allowed here; use {allowed}.")
        return await handler(request)

    return dispatch


JOBS = f"{PREFIX}/content-generation/jobs"
CONFIGS = f"{PREFIX}/content-configs"
ANY = ["GET", "POST", "PUT", "PATCH", "DELETE"]

routes = [
    Route(JOBS, by_method(post=submit_job), methods=ANY),
    Route(f"{JOBS}/{{job_id}}/status", by_method(get=job_status), methods=ANY),
    Route(f"{JOBS}/{{job_id}}/result", by_method(get=job_result), methods=ANY),
    Route(f"{JOBS}/{{job_id}}/config", by_method(get=job_config), methods=ANY),
    Route(f"{JOBS}/{{job_id}}/feedback", by_method(post=job_feedback), methods=ANY),
    Route(CONFIGS, by_method(get=list_configs, post=create_config), methods=ANY),
    Route(f"{CONFIGS}/{{config_id}}", by_method(get=get_config, put=replace_config, delete=delete_config), methods=ANY),
]
