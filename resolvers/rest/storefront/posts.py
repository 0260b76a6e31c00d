"""``POST /{workspaceId}/storefront/products/{productId}/generate-post``: queue the posts job."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.marketing.requests import PostRequest
from domain.marketing.service import MANAGE, MarketingService
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call, Router

router = Router(tags=["storefront posts"])


class QueuedJson(TypedDict):
    jobId: str
    status: str


class PostPath(BaseModel):
    workspaceId: str = Field(
        pattern=r"^[0-9A-Za-z_-]{1,64}$", description="The caller's workspace id (another one is a 404)."
    )
    productId: int = Field(gt=0, le=2_147_483_647, description="The catalog product's id.")


@router.post(
    "/{workspaceId}/storefront/products/{productId}/generate-post",
    permission=MANAGE,
    response=QueuedJson,
    responses={404: "The workspace is not the caller's, or the product is not in it"},
)
async def generate_post(call: Call, path: PostPath, query: PostRequest) -> Response:
    """Queue 1-3 marketing posts (caption, hashtags, call to action, overlays, and with generateImages an image
    each) for the product. Follow the job with GraphQL ``jobProgress``; its result is the completion payload."""
    media = call.scope.services.media
    job = await call.write(
        lambda uow, p: MarketingService(uow, media).submit(p, path.productId, query, workspace_id=path.workspaceId)
    )
    return JSONResponse({"jobId": job.id, "status": job.status})
