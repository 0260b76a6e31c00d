"""All SQL of the content area."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.content.models import ContentConfig, ContentFeedback
from domain.repository import Repository


class ContentRepository(Repository):
    async def get_config(self, workspace_id: str, config_id: str) -> ContentConfig | None:
        stmt = select(ContentConfig).where(ContentConfig.workspace_id == workspace_id, ContentConfig.id == config_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_config_by_name(self, workspace_id: str, name: str) -> ContentConfig | None:
        stmt = select(ContentConfig).where(ContentConfig.workspace_id == workspace_id, ContentConfig.name == name)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_configs(self, workspace_id: str, *, limit: int, offset: int = 0) -> list[ContentConfig]:
        stmt = (
            select(ContentConfig)
            .where(ContentConfig.workspace_id == workspace_id)
            .order_by(ContentConfig.created_at, ContentConfig.id)
            .offset(offset)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def count_configs(self, workspace_id: str) -> int:
        stmt = select(func.count(ContentConfig.id)).where(ContentConfig.workspace_id == workspace_id)
        return int((await self.session.execute(stmt)).scalar_one())

    async def latest_feedback(self, workspace_id: str, *, limit: int) -> list[ContentFeedback]:
        stmt = (
            select(ContentFeedback)
            .where(ContentFeedback.workspace_id == workspace_id)
            .order_by(ContentFeedback.created_at.desc(), ContentFeedback.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def feedback_for_job(self, workspace_id: str, job_id: str) -> list[ContentFeedback]:
        stmt = (
            select(ContentFeedback)
            .where(ContentFeedback.workspace_id == workspace_id, ContentFeedback.job_id == job_id)
            .order_by(ContentFeedback.id)
        )
        return list((await self.session.execute(stmt)).scalars())
