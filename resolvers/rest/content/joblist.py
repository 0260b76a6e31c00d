"""The client's job list: every content-service job of the workspace, newest first, with an opaque page
token."""

from __future__ import annotations

from datetime import UTC

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.configs import READ
from domain.content.job_list import ContentJobList
from domain.jobs.models import Job
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call, Router

router = Router(tags=["jobs"])


class JobItemJson(TypedDict):
    job_id: str
    job_creation_date: str
    status: str


class JobListJson(TypedDict):
    items: list[JobItemJson]
    next_page_token: str | None


class JobListQuery(BaseModel):
    page_token: str | None = Field(
        default=None, description="Where to continue: the next_page_token of the previous page, as given."
    )


def job_item_json(job: Job) -> JobItemJson:
    # The document's dates carry no zone: ours are UTC, to the second.
    created = job.created_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    return {"job_id": job.id, "job_creation_date": created, "status": job.status}


@router.get(
    "/jobs",
    permission=READ,
    response=JobListJson,
    responses={400: "The page token was not handed out by this list to this workspace, or has expired"},
)
async def list_jobs(call: Call, query: JobListQuery) -> Response:
    """Every content-service job of the workspace, newest first, 50 a page; next_page_token is null on the
    last page."""
    tokens = call.scope.services.tokens
    page = await call.read(lambda s, p: ContentJobList(s, tokens).page(p, query.page_token or None))
    body = JobListJson(items=[job_item_json(j) for j in page.items], next_page_token=page.next_after)
    return JSONResponse(body)
