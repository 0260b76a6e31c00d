"""The content types a channel takes in a locale: the built-in channels and the workspace's own (which it
manages through GraphQL: ``setContentChannel``, ``removeContentChannel``)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.responses import Response

from domain.content.channels.service import ChannelService
from domain.content.configs import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call, Router

router = Router(tags=["channels"])


class ChannelLocalePath(BaseModel):
    channel: str = Field(description="The channel's id (e.g. Standard, Amazon, or one of the workspace's own).")
    locale: str = Field(description="<language>_<market> with the document's codes, e.g. en_uk.")


@router.get(
    "/channels/{channel}/locales/{locale}/content-types",
    permission=READ,
    response=list[str],
    responses={400: "The locale is not <language>_<market> with the document's codes"},
)
async def channel_content_types(call: Call, path: ChannelLocalePath) -> Response:
    """The content types allowed for a channel and locale (404: unknown channel, or one that does not serve
    the locale)."""
    types = await call.read(lambda s, p: ChannelService(s).content_types(p, path.channel, path.locale))
    return JSONResponse(types)
