"""``POST /spaces/{spaceId}/products`` (the document's one operation) and ``POST /spaces/{spaceId}/media``, the
upload of a post's image ("uploaded using the Media API", as the document puts it)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any, NotRequired

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.errors import DomainError
from domain.mail.service import mail_configured
from domain.spaces.requests import PostProduct
from domain.spaces.service import MANAGE, Posting, SpacesService
from domain.validation import INT_MAX
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call, Router
from resolvers.rest.swm.dialect import envelope

router = Router(tags=["spaces"])

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")


class UnsupportedMediaType(DomainError, status=415, code="unsupported_media_type"):
    """The upload's Content-Type is not an image type this service keeps."""


class ResponseJson(TypedDict):
    code: str
    developerMessage: str


class PostCreatedJson(TypedDict):
    response: ResponseJson
    contentId: str
    emailConfigMissing: NotRequired[bool]


class MediaCreatedJson(TypedDict):
    response: ResponseJson
    mediaId: str
    mediaUrl: str
    expiresAt: str


class SpacePath(BaseModel):
    space_id: Annotated[int, Field(alias="spaceId", gt=0, le=INT_MAX, description="The space's id.")]


async def _member(session: AsyncSession, caller: Principal, path: Any) -> object:
    """The space exists in the caller's workspace (404) and the caller is its member (403.1), before the body is
    looked at."""
    return await SpacesService(session).member_of(caller, path.space_id)


def public_base(call: Call) -> str:
    base = call.base_url
    prefix = call.surface.prefix
    if base.endswith(prefix):  # inside the mount the base URL ends with the surface's prefix
        base = base[: -len(prefix)]
    return call.scope.services.public_base(base)


def posting(call: Call) -> Posting:
    services = call.scope.services
    return Posting(
        public_base=public_base(call),
        urls=services.media.urls,
        mail=mail_configured(services.providers),
        configured_public_url=services.public_url,
    )


@router.post(
    "/spaces/{spaceId}/products",
    permission=MANAGE,
    status=201,
    response=PostCreatedJson,
    lookup=_member,
    responses={
        400: "A field breaks the document's rules: 400.0 malformed JSON, 400.1 required, 400.2 type, 400.3 length, "
        "400.4 form, 400.5 image URL off the store's domain",
        403: "403.0 missing permission, 403.1 not space member, 403.4 max products reached",
        404: "No such space in the caller's workspace",
    },
)
async def create_product_post(call: Call, path: SpacePath, body: PostProduct) -> Response:
    """Post a new product to a space.

    The caller must be a member of the space and owns the post (an API key acts for the member who created it).
    Every other member who opted in to the space's notifications is emailed (sent by a job, after the answer).
    `emailConfigMissing: true` says no mail server is configured: nobody was notified. `contentId` identifies the
    post in the space.
    """
    context = posting(call)
    result = await call.write(lambda uow, p: SpacesService(uow).post_product(p, path.space_id, body, context))
    payload: dict[str, Any] = {**envelope("201.0", "product resource created"), "contentId": str(result.post.id)}
    if result.email_config_missing:
        payload["emailConfigMissing"] = True
    return JSONResponse(payload, status_code=201)


@router.post(
    "/spaces/{spaceId}/media",
    permission=MANAGE,
    status=201,
    response=MediaCreatedJson,
    lookup=_member,
    responses={
        400: "400.6: the body is empty, too large for an image, or does not decode as one",
        403: "403.0 missing permission, 403.1 not space member",
        404: "No such space in the caller's workspace",
        413: "The body is over SHOPWRIGHT_MAX_BODY_BYTES",
        415: "The Content-Type is not image/png, image/jpeg, image/webp or image/gif",
    },
)
async def upload_media(call: Call, path: SpacePath) -> Response:
    """Upload a product image for a post.

    The request body is the image's bytes, sent with its Content-Type (image/png, image/jpeg, image/webp or
    image/gif), at most SHOPWRIGHT_MAX_BODY_BYTES. The answer's `mediaUrl` is a signed link to the stored image,
    valid until `expiresAt`; a post may give it as its `productImageUrl` (besides URLs on the store's domain), and
    its notifications then carry a fresh link to the image.
    """
    content_type = call.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in IMAGE_TYPES:
        raise UnsupportedMediaType(f"Send the image with its Content-Type: one of {', '.join(IMAGE_TYPES)}.")
    data = await call.request.body()
    services = call.scope.services
    media = await call.write(
        lambda uow, p: SpacesService(uow).upload_image(p, path.space_id, data, services.media.storage)
    )
    signed = services.media.urls.sign(media)
    payload: MediaCreatedJson = {
        "response": {"code": "201.0", "developerMessage": "media resource created"},
        "mediaId": media.id,
        "mediaUrl": public_base(call) + signed.path,
        "expiresAt": signed.expires_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    return JSONResponse(payload, status_code=201)
