"""The marketing posts' SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketing.models import MarketingPost, StorefrontPost
from domain.media.models import MediaFile


class MarketingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_post(self, post: MarketingPost) -> tuple[MarketingPost, StorefrontPost]:
        """The post and its storefront entry (flushed, so both have their ids)."""
        self.session.add(post)
        await self.session.flush()
        entry = StorefrontPost(workspace_id=post.workspace_id, product_id=post.product_id, post_id=post.id)
        self.session.add(entry)
        await self.session.flush()
        return post, entry

    async def posts(
        self, workspace_id: str, product_id: int | None, offset: int, limit: int
    ) -> tuple[list[tuple[MarketingPost, str | None]], int]:
        """Posts newest first (a job's posts in their order), each with its storefront entry's id, and the total."""
        where = [MarketingPost.workspace_id == workspace_id]
        if product_id is not None:
            where.append(MarketingPost.product_id == product_id)
        total = int(
            (await self.session.execute(select(func.count()).select_from(MarketingPost).where(*where))).scalar_one()
        )
        stmt = (
            select(MarketingPost, StorefrontPost.id)
            .outerjoin(StorefrontPost, StorefrontPost.post_id == MarketingPost.id)
            .where(*where)
            .order_by(MarketingPost.created_at.desc(), MarketingPost.position, MarketingPost.id)
            .offset(offset)
            .limit(limit)
        )
        rows = (await self.session.execute(stmt)).all()
        return [(row[0], row[1]) for row in rows], total

    async def media(self, workspace_id: str, ids: Sequence[str]) -> dict[str, MediaFile]:
        if not ids:
            return {}
        stmt = select(MediaFile).where(MediaFile.workspace_id == workspace_id, MediaFile.id.in_(list(ids)))
        return {m.id: m for m in (await self.session.execute(stmt)).scalars()}
