"""Listing copy: title, bullets, description and keywords for a platform, written by a job."""

from __future__ import annotations

from starlette.responses import Response

from domain.listing.requests import CopyRequest
from domain.listing.service import MANAGE
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.images import PAID, SubmittedJson, submitted_json
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["ai"])


@router.post("/ai/listing", permission=MANAGE, response=SubmittedJson, responses=PAID)
async def generate_copy(call: Call, body: CopyRequest) -> Response:
    """Queue listing copy for the product on a platform; poll GET /ai/jobs/{jobId} for it."""
    links = Links(call)
    job, cost = await call.write(lambda uow, p: links.service(uow).submit_copy(p, body))
    return JSONResponse(submitted_json(job, cost))
