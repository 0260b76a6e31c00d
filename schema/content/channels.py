"""Channels and the content types each takes per locale: the built-in ones and the workspace's own, which it
adds, replaces and removes here."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from domain.content.channels.builtin import EVERY_LOCALE
from domain.content.channels.service import Channel, ChannelService, parse_channel
from schema.errors import Payload, payload_mutation
from schema.types import Info


@strawberry.type(description="A channel's content types for a locale ('*': every locale).")
class ContentChannel:
    channel: str
    locale: str
    content_types: list[str]
    description: str | None
    built_in: bool = strawberry.field(
        description="Shipped with the service; a workspace entry of the same id replaces it where it applies."
    )

    @classmethod
    def from_model(cls, model: Channel) -> Self:
        return cls(
            channel=model.channel,
            locale=model.locale,
            content_types=list(model.content_types),
            description=model.description,
            built_in=model.built_in,
        )


@strawberry.input(description="A workspace channel for one locale (or '*': every locale), added or replaced.")
class SetContentChannelInput:
    channel: str
    content_types: list[str]
    locale: str = EVERY_LOCALE
    description: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"channel": self.channel, "locale": self.locale, "content_types": self.content_types}
        if self.description is not None:
            out["description"] = self.description
        return out


@strawberry.type
class ContentChannelPayload(Payload):
    content_channel: ContentChannel | None = None


@strawberry.type
class ContentChannelQuery:
    @strawberry.field(description="The built-in channels, then the workspace's own entries.")
    async def content_channels(self, info: Info) -> list[ContentChannel]:
        channels = await info.context.read(lambda s, p: ChannelService(s).channels(p))
        return [ContentChannel.from_model(c) for c in channels]

    @strawberry.field(description="The content types a channel takes in a locale (<language>_<market>, e.g. en_uk).")
    async def channel_content_types(self, info: Info, channel: str, locale: str) -> list[str]:
        return await info.context.read(lambda s, p: ChannelService(s).content_types(p, channel, locale))


@strawberry.type
class ContentChannelMutation:
    @payload_mutation(description="Add the workspace's channel for a locale, or replace the one it has.")
    async def set_content_channel(self, info: Info, input: SetContentChannelInput) -> ContentChannelPayload:
        principal = await info.context.principal()
        command = parse_channel(input.body())
        channel = await info.context.scope.write(lambda uow: ChannelService(uow.session).put(principal, command))
        return ContentChannelPayload(content_channel=ContentChannel.from_model(channel))

    @payload_mutation(description="Remove the workspace's channel entry for a locale; returns what was removed.")
    async def remove_content_channel(
        self, info: Info, channel: str, locale: str = EVERY_LOCALE
    ) -> ContentChannelPayload:
        removed = await info.context.write(lambda uow, p: ChannelService(uow.session).remove(p, channel, locale))
        return ContentChannelPayload(content_channel=ContentChannel.from_model(removed))
