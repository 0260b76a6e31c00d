"""The SQL of the store's AI operations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update

from domain.catalog.models import Brand, Product
from domain.repository import Repository
from domain.store.ai_ops.models import StoreLogo, StoreText
from domain.store.models import Article


class AiOpsRepository(Repository):
    # --- stock texts ------------------------------------------------------------------------------------

    async def texts(self, workspace_id: str) -> dict[str, StoreText]:
        rows = await self.session.execute(select(StoreText).where(StoreText.workspace_id == workspace_id))
        return {row.key: row for row in rows.scalars()}

    async def set_text(self, workspace_id: str, key: str, value: str, source: str) -> StoreText:
        found = (
            await self.session.execute(
                select(StoreText).where(StoreText.workspace_id == workspace_id, StoreText.key == key)
            )
        ).scalar_one_or_none()
        if found is None:
            found = StoreText(workspace_id=workspace_id, key=key, value=value, source=source)
            self.session.add(found)
        else:
            found.value, found.source = value, source
        await self.session.flush()
        return found

    async def reset_text(self, workspace_id: str, key: str) -> None:
        found = (
            await self.session.execute(
                select(StoreText).where(StoreText.workspace_id == workspace_id, StoreText.key == key)
            )
        ).scalar_one_or_none()
        if found is not None:
            await self.session.delete(found)
            await self.session.flush()

    # --- logo -------------------------------------------------------------------------------------------

    async def logo(self, workspace_id: str) -> StoreLogo | None:
        return await self.session.get(StoreLogo, workspace_id)

    async def save_logo(self, logo: StoreLogo) -> None:
        await self.session.merge(logo)
        await self.session.flush()

    # --- brands -----------------------------------------------------------------------------------------

    async def brands_for_update(self, workspace_id: str) -> list[Brand]:
        """Every brand of the store, locked (PostgreSQL) so two cleans do not merge the same brands twice."""
        stmt = select(Brand).where(Brand.workspace_id == workspace_id).order_by(Brand.id).with_for_update()
        return list((await self.session.execute(stmt)).scalars())

    async def brand_product_counts(self, workspace_id: str) -> dict[int, int]:
        """Live products per brand (brands without any are absent)."""
        stmt = (
            select(Product.brand_id, func.count())
            .where(Product.workspace_id == workspace_id, Product.deleted_at.is_(None), Product.brand_id.is_not(None))
            .group_by(Product.brand_id)
        )
        return {int(b): int(n) for b, n in await self.session.execute(stmt) if b is not None}

    async def move_products(self, workspace_id: str, from_ids: Sequence[int], to_id: int | None) -> int:
        """Products (live or soft-deleted) of ``from_ids`` now belong to ``to_id``; how many moved."""
        if not from_ids:
            return 0
        result = await self.session.execute(
            update(Product)
            .where(Product.workspace_id == workspace_id, self.one_of(Product.brand_id, from_ids))
            .values(brand_id=to_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def delete(self, obj: object) -> None:
        await self.session.delete(obj)

    # --- articles ---------------------------------------------------------------------------------------

    async def article_for_update(self, workspace_id: str, article_id: int) -> Article | None:
        stmt = select(Article).where(Article.workspace_id == workspace_id, Article.id == article_id).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def article_titles(self, workspace_id: str, limit: int = 200) -> list[str]:
        stmt = (
            select(Article.title)
            .where(Article.workspace_id == workspace_id)
            .order_by(Article.created_at.desc())
            .limit(limit)
        )
        return [str(t) for t in (await self.session.execute(stmt)).scalars()]
