"""Content generation jobs: submit, status, result, the configuration used, feedback."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.content.config_schema import ContentConfigBody
from domain.content.configs import READ
from domain.content.feedback import FeedbackCommand, parse_feedback
from domain.content.models import ContentFeedback
from domain.content.request import GenerationRequest, parse_request
from domain.content.service import ContentGenerationService
from resolvers.jsonenc import JSONResponse
from resolvers.rest.bodies import Body
from resolvers.rest.content.dialect import (
    WRITE,
    WRITE_DENIED,
    JobPath,
    StatusJson,
    SubmittedJson,
    status_json,
    zulu,
)
from resolvers.rest.surface import Call, Router

JOBS = "/content-generation/jobs"

router = Router(tags=["content generation"])


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


feedback_json = Body(ContentFeedback, FeedbackJson, stamp=zulu, computed={"feedback_id": lambda row: row.id})


async def _job(session: AsyncSession, principal: Principal, path: JobPath) -> object:
    return await ContentGenerationService(session).get_job(principal, path.job_id)


@router.post(JOBS, response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_request, **WRITE)
async def submit_job(call: Call, body: GenerationRequest) -> Response:
    """Submit a content generation job; follow it with its status (or GraphQL's jobProgress)."""
    job = await call.write(lambda uow, p: ContentGenerationService(uow).submit(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{JOBS}/{{job_id}}/status", permission=READ, response=StatusJson)
async def job_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: ContentGenerationService(s).get_job(p, path.job_id))
    return JSONResponse(status_json(job))


@router.get(
    f"{JOBS}/{{job_id}}/result",
    permission=READ,
    response=dict[str, ProductResultJson],
    responses={409: "The job has not completed (detail.status says where it stands)"},
)
async def job_result(call: Call, path: JobPath) -> Response:
    """The content written per product (keyed by product id, in request order), with warnings."""
    result = await call.read(lambda s, p: ContentGenerationService(s).result(p, path.job_id))
    return JSONResponse(result)


@router.get(f"{JOBS}/{{job_id}}/config", permission=READ, response=ContentConfigBody)
async def job_config(call: Call, path: JobPath) -> Response:
    """The configuration the job used: the saved one merged with the request's."""
    config = await call.read(lambda s, p: ContentGenerationService(s).used_config(p, path.job_id))
    return JSONResponse(config)


@router.post(
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
