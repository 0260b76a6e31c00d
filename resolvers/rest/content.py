"""The content-services surface (``/brandbrain/...``): content generation jobs and content configurations.

Dialect: ``{"job_id"}`` on submit, ``{"status","message"}`` for status, ``{"code","message"}`` errors (plus
``errors``, field path → messages, on bad input, and ``detail.status`` for a result asked for too early),
``Authorization: Bearer`` or ``x-api-key``. Bodies are parsed into the content area's commands here, before
a service is called; the rules live in ``domain.content``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.content.config_schema import ContentConfigBody
from domain.content.configs import MANAGE, READ, ConfigCommand, ContentConfigService, SavedConfig, Scope, parse_config
from domain.content.documents import InvalidConfiguration, InvalidRequest
from domain.content.feedback import FeedbackCommand, parse_feedback
from domain.content.models import SCOPES, ContentFeedback
from domain.content.request import GenerationRequest, parse_request
from domain.content.service import ContentGenerationService, JobNotFinished
from domain.errors import DomainError, InvalidInput, Loc
from domain.jobs.models import COMPLETED, FAILED, Job
from domain.paging import MAX_PAGE_SIZE, PageRequest
from domain.validation import rule_error
from resolvers.rest.bodies import Body
from resolvers.rest.surface import Call, Dialect, MethodNotAllowed, RateLimit, Router, Surface

JOBS = "/content-generation/jobs"
CONFIGS = "/content-configs"
WRITE_DENIED = {403: "The credentials may not change content (content.content.manage)"}

jobs = Router(tags=["content generation"])
configs = Router(tags=["content configurations"])


# --- the dialect -----------------------------------------------------------------------------------------


def field_path(loc: Loc) -> str:
    """A problem's location as the content document writes it: ``content_generation_params.content_types[0]``
    (the whole body: ``body``)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path or "body"


class ContentDialect(Dialect):
    """Every problem of a body is listed under its field path; the summary names the first one and the
    document it is in ("Invalid request body: ...", "Invalid content configuration: ...")."""

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "detail": {"type": "object", "properties": {"status": {"type": "string"}}},
        },
        "required": ["code", "message"],
    }

    def render(self, status: int, error: DomainError) -> Response:
        body: dict[str, Any] = {"code": error.code, "message": error.message}
        if isinstance(error, JobNotFinished):
            body["detail"] = {"status": error.job_status}
        elif isinstance(error, InvalidInput):
            if error.code == InvalidInput.code:
                body["code"] = "bad_request"  # this API's name for bad input
            if error.field_errors:
                body["message"] = self.summary(error)
                body["errors"] = errors_json(error)
        return JSONResponse(body, status_code=status)

    def summary(self, error: InvalidInput) -> str:
        first = error.field_errors[0]
        if isinstance(error, InvalidRequest):
            return f"Invalid request body: {field_path(first.loc)}: {first.message}"
        if isinstance(error, InvalidConfiguration):
            return f"Invalid content configuration: {field_path(first.loc)}: {first.message}"
        return error.message

    def route_error(self, status: int, request: Request | None = None, allowed: Sequence[str] = ()) -> Response:
        if status == 405 and request is not None and allowed:
            message = f"{request.method} is not allowed here; use {', '.join(allowed)}."
            return self.render(405, MethodNotAllowed(message))
        return super().route_error(status, request, allowed)


def errors_json(error: InvalidInput) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in error.field_errors:
        messages = out.setdefault(field_path(problem.loc), [])
        if problem.message not in messages:
            messages.append(problem.message)
    return out


# --- shapes ----------------------------------------------------------------------------------------------


class SubmittedJson(TypedDict):
    job_id: str


class StatusJson(TypedDict):
    status: str
    message: str


class WarningJson(TypedDict):
    content_type: str | None
    code: str
    description: str


class ProductResultJson(TypedDict):
    content: dict[str, str | list[str]]
    product: dict[str, Any]
    warnings: list[WarningJson]


class FeedbackJson(TypedDict):
    feedback_id: int
    job_id: str
    product_id: str
    created_at: str


class ConfigSummaryJson(TypedDict):
    config_id: str
    name: str
    description: str | None
    scope: str


class ConfigJson(TypedDict):
    config_id: str
    name: str
    description: str | None
    content_config: dict[str, Any]
    scope: str
    created_at: str
    updated_at: str


STATUS_MESSAGES = {
    "queued": "The job is queued.",
    "processing": "The job is processing.",
    COMPLETED: "The job has completed successfully.",
    "cancelled": "The job was cancelled.",
}


def status_json(job: Job) -> StatusJson:
    """The document's status names are ours (queued, processing, completed, failed, cancelled)."""
    if job.status == FAILED:
        message = f"The job has failed: {job.error_message or job.message or 'unknown error'}"
    elif job.status == "processing" and job.message:
        message = job.message
    else:
        message = STATUS_MESSAGES.get(job.status, job.message or job.status)
    return {"status": job.status, "message": message}


def zulu(value: datetime) -> str:
    """This API's timestamps: ISO 8601 in UTC with a ``Z``."""
    return value.isoformat().replace("+00:00", "Z")


feedback_json = Body(ContentFeedback, FeedbackJson, stamp=zulu, computed={"feedback_id": lambda row: row.id})
config_summary_json = Body(SavedConfig, ConfigSummaryJson)
config_json = Body(SavedConfig, ConfigJson, stamp=zulu)


# --- inputs ----------------------------------------------------------------------------------------------


class JobPath(BaseModel):
    job_id: str = Field(description="The job's id, as submitting it answered.")


class ConfigPath(BaseModel):
    config_id: str = Field(description="The configuration's config_id (a UUID).")


def _scope(value: Any) -> Any:
    if value not in SCOPES:
        raise rule_error("in", "scope must be PUBLIC or PRIVATE.", values=list(SCOPES))
    return value


class ConfigListQuery(BaseModel):
    scope: Annotated[Scope, BeforeValidator(_scope)] | None = Field(
        default=None, description="Only configurations of this scope (PUBLIC: built in; PRIVATE: the workspace's)."
    )


# Writes read their JSON before the permission is checked (malformed JSON is answered before a missing
# permission, as this surface always has), parse it with the content document's parser (its problems read
# in this surface's words), and look up the object the path names before the body's problems are reported.
WRITE = {"permission": MANAGE, "read_body_first": True}


async def _job(session: AsyncSession, principal: Principal, path: JobPath) -> object:
    return await ContentGenerationService(session).get_job(principal, path.job_id)


async def _own_config(session: AsyncSession, principal: Principal, path: ConfigPath) -> object:
    """A configuration that is not the caller's to change is answered before the body's problems."""
    return await ContentConfigService(session).own(principal, path.config_id)


# --- content generation ----------------------------------------------------------------------------------


@jobs.post(JOBS, response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_request, **WRITE)
async def submit_job(call: Call, body: GenerationRequest) -> Response:
    """Submit a content generation job; follow it with its status (or GraphQL's jobProgress)."""
    job = await call.write(lambda uow, p: ContentGenerationService(uow).submit(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@jobs.get(f"{JOBS}/{{job_id}}/status", permission=READ, response=StatusJson)
async def job_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: ContentGenerationService(s).get_job(p, path.job_id))
    return JSONResponse(status_json(job))


@jobs.get(
    f"{JOBS}/{{job_id}}/result",
    permission=READ,
    response=dict[str, ProductResultJson],
    responses={409: "The job has not completed (detail.status says where it stands)"},
)
async def job_result(call: Call, path: JobPath) -> Response:
    """The content written per product (keyed by product id, in request order), with warnings."""
    result = await call.read(lambda s, p: ContentGenerationService(s).result(p, path.job_id))
    return JSONResponse(result)


@jobs.get(f"{JOBS}/{{job_id}}/config", permission=READ, response=ContentConfigBody)
async def job_config(call: Call, path: JobPath) -> Response:
    """The configuration the job used: the saved one merged with the request's."""
    config = await call.read(lambda s, p: ContentGenerationService(s).used_config(p, path.job_id))
    return JSONResponse(config)


@jobs.post(
    f"{JOBS}/{{job_id}}/feedback",
    status=201,
    response=FeedbackJson,
    responses=WRITE_DENIED,
    lookup=_job,
    parse_body=parse_feedback,
    **WRITE,
)
async def submit_feedback(call: Call, path: JobPath, body: FeedbackCommand) -> Response:
    """An editor's correction of one product's content; later generations get it as an example."""
    row = await call.write(lambda uow, p: ContentGenerationService(uow).submit_feedback(p, path.job_id, body))
    return JSONResponse(feedback_json(row), status_code=201)


# --- content configurations ------------------------------------------------------------------------------


@configs.get(CONFIGS, permission=READ, response=list[ConfigSummaryJson])
async def list_configs(call: Call, query: ConfigListQuery) -> Response:
    """The built-in (PUBLIC) configurations and the workspace's own (PRIVATE), at most 100."""
    first = PageRequest(limit=MAX_PAGE_SIZE)  # the document's list is not paged: the first 100
    page = await call.read(lambda s, p: ContentConfigService(s).page(p, query.scope, first))
    return JSONResponse([config_summary_json(c) for c in page.items])


@configs.post(
    CONFIGS,
    status=201,
    response=ConfigJson,
    responses={**WRITE_DENIED, 409: "The name is taken, or the workspace keeps 100 configurations already"},
    parse_body=parse_config,
    **WRITE,
)
async def create_config(call: Call, body: ConfigCommand) -> Response:
    """Save a PRIVATE configuration."""
    config = await call.write(lambda uow, p: ContentConfigService(uow.session).create(p, body))
    return JSONResponse(config_json(config), status_code=201)


@configs.get(f"{CONFIGS}/{{config_id}}", permission=READ, response=ConfigJson)
async def get_config(call: Call, path: ConfigPath) -> Response:
    """One configuration, built in or the workspace's own."""
    config = await call.read(lambda s, p: ContentConfigService(s).get(p, path.config_id))
    return JSONResponse(config_json(config))


@configs.put(
    f"{CONFIGS}/{{config_id}}",
    response=ConfigJson,
    responses={403: "Built in (read-only), or the credentials may not change content", 409: "The name is taken"},
    lookup=_own_config,
    parse_body=parse_config,
    **WRITE,
)
async def replace_config(call: Call, path: ConfigPath, body: ConfigCommand) -> Response:
    """Replace one of the workspace's configurations whole."""
    config = await call.write(lambda uow, p: ContentConfigService(uow.session).replace(p, path.config_id, body))
    return JSONResponse(config_json(config))


@configs.delete(
    f"{CONFIGS}/{{config_id}}",
    permission=MANAGE,
    status=204,
    responses={403: "Built in (read-only), or the credentials may not change content"},
)
async def delete_config(call: Call, path: ConfigPath) -> Response:
    """Delete one of the workspace's configurations."""
    await call.write(lambda uow, p: ContentConfigService(uow.session).delete(p, path.config_id))
    return Response(status_code=204)


SURFACE = Surface(
    name="content-services",
    prefix="/brandbrain",
    title="Content services API",
    description="Content generation jobs and content configurations. Live progress is a GraphQL subscription.",
    dialect=ContentDialect(),
    routers=[jobs, configs],
    allow_x_api_key=True,
    # The document sets no limit; operators can (SHOPWRIGHT_RATE_LIMITS {"content-services.all": N}).
    rate_limits=[RateLimit("all", 0)],
)
