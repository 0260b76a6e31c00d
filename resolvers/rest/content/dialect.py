"""What every module of the content-services surface shares: its dialect (``{"code","message"}`` errors, plus
``errors``, field path → messages, on bad input, and ``detail.status`` for a result asked for too early), the
submit and status shapes of its jobs, and the options its writes take."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.configs import MANAGE
from domain.content.content_jobs import JobNotFinished
from domain.content.documents import InvalidConfiguration, InvalidRequest
from domain.errors import DomainError, InvalidInput, Loc
from domain.jobs.models import COMPLETED, FAILED, Job
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Dialect, MethodNotAllowed

WRITE_DENIED = {403: "The credentials may not change content (content.content.manage)"}

# Writes read their JSON before the permission is checked (malformed JSON is answered before a missing
# permission, as this surface always has), parse it with the content document's parser (its problems read
# in this surface's words), and look up the object the path names before the body's problems are reported.
WRITE: dict[str, Any] = {"permission": MANAGE, "read_body_first": True}


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

    # The document names bad input ``bad_request``: HTTP 400, as its page tokens and locales always were.
    invalid_input_status: ClassVar[int] = 400

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


class SubmittedJson(TypedDict):
    job_id: str


class StatusJson(TypedDict):
    status: str
    message: str


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


class JobPath(BaseModel):
    job_id: str = Field(description="The job's id, as submitting it answered.")
