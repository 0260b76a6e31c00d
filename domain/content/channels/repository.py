"""All SQL of the workspace's channels."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.content.models import ContentChannel
from domain.repository import Repository


class ChannelRepository(Repository):
    async def get(self, workspace_id: str, channel: str, locale: str) -> ContentChannel | None:
        stmt = select(ContentChannel).where(
            ContentChannel.workspace_id == workspace_id,
            ContentChannel.channel == channel,
            ContentChannel.locale == locale,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_channel(self, workspace_id: str, channel: str) -> list[ContentChannel]:
        stmt = select(ContentChannel).where(
            ContentChannel.workspace_id == workspace_id, ContentChannel.channel == channel
        )
        return list((await self.session.execute(stmt)).scalars())

    async def all(self, workspace_id: str) -> list[ContentChannel]:
        stmt = (
            select(ContentChannel)
            .where(ContentChannel.workspace_id == workspace_id)
            .order_by(ContentChannel.channel, ContentChannel.locale)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def count(self, workspace_id: str) -> int:
        stmt = select(func.count(ContentChannel.id)).where(ContentChannel.workspace_id == workspace_id)
        return int((await self.session.execute(stmt)).scalar_one())
