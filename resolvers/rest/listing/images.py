"""Image generation: submit a job (credits debited at once), and poll any listing job for its result."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.jobs.models import Job
from domain.listing.assets import asset_ref
from domain.listing.requests import ImageRequest
from domain.listing.service import JOB_TYPES, MANAGE, READ
from domain.media.models import MediaFile
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import zulu
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["ai"])

PAID = {
    402: "The workspace's credits do not cover the request (creditCost, creditsRemaining)",
    403: "The workspace's plan does not include the listing studio (plan_required), or a missing permission",
}


class SubmittedJson(TypedDict):
    jobId: str
    status: str
    creditCost: int


class JobErrorJson(TypedDict):
    code: str | None
    message: str | None


class JobJson(TypedDict):
    id: str
    type: str
    status: str
    creditCost: int | None
    result: dict[str, Any] | None
    error: JobErrorJson | None
    created_at: str | None
    updated_at: str | None


class JobPath(BaseModel):
    jobId: str = Field(description="job_<uuid>, as submitting answered (the bare uuid is taken too).")


def job_ref(job_id: str) -> str:
    return f"job_{job_id}"


def submitted_json(job: Job, cost: int) -> SubmittedJson:
    return {"jobId": job_ref(job.id), "status": job.status, "creditCost": cost}


def result_json(job: Job, images: list[MediaFile], links: Links) -> dict[str, Any] | None:
    """The job's result; an image job's files as signed links (signed now: links expire, results do not)."""
    if job.result is None:
        return None
    result = {k: v for k, v in job.result.items() if k not in ("mediaIds", "assetIds")}
    if JOB_TYPES[job.kind] == "image_generation":
        urls = [links.url(media) for media in images]
        result = {
            "imageUrl": urls[0] if urls else None,
            "imageUrls": urls,
            "assetIds": [asset_ref(str(a)) for a in job.result.get("assetIds") or []],
            **result,
        }
    return result


def job_json(job: Job, images: list[MediaFile], links: Links) -> JobJson:
    cost = (job.params or {}).get("credit_cost")
    return {
        "id": job_ref(job.id),
        "type": JOB_TYPES[job.kind],
        "status": job.status,
        "creditCost": cost if isinstance(cost, int) else None,
        "result": result_json(job, images, links),
        "error": {"code": job.error_code, "message": job.error_message}
        if job.error_code or job.error_message
        else None,
        "created_at": zulu(job.created_at),
        "updated_at": zulu(job.updated_at),
    }


@router.post("/ai/image", permission=MANAGE, response=SubmittedJson, responses=PAID)
async def generate_image(call: Call, body: ImageRequest) -> Response:
    """Queue an image of the product in a style; the credits are debited now and refunded if the job fails."""
    links = Links(call)
    providers = links.services.providers
    job, cost = await call.write(lambda uow, p: links.service(uow).submit_image(p, body, providers))
    return JSONResponse(submitted_json(job, cost))


@router.get("/ai/jobs/{jobId}", permission=READ, response=JobJson)
async def get_job(call: Call, path: JobPath) -> Response:
    """An image or listing-copy job: where it stands, and its result once completed."""
    links = Links(call)

    async def read(session: AsyncSession, principal: Principal) -> tuple[Job, list[MediaFile]]:
        service = links.service(session)
        job = await service.job(principal, path.jobId)
        return job, await service.job_images(principal, job)

    job, images = await call.read(read)
    return JSONResponse(job_json(job, images, links))
