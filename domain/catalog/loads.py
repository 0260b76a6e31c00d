"""Batch reads for the per-request DataLoaders: one ``IN (...)`` query each, every one scoped to the workspace.

No permission check here: a loader resolves a relation of an object whose read was checked already.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.repository import CatalogRepository


class CatalogLoads:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def products(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Product]:
        return await self.repo.get_products_by_ids(workspace_id, ids)

    async def brands(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Brand]:
        return await self.repo.brands_by_ids(workspace_id, ids)

    async def categories(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Category]:
        return await self.repo.categories_by_ids(workspace_id, ids)

    async def offers(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Offer]:
        return await self.repo.offers_by_ids(workspace_id, ids)

    async def categories_for_products(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await self.repo.categories_for_products(workspace_id, ids)

    async def offers_for_products(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Offer]]:
        return await self.repo.offers_for_products(workspace_id, ids)

    async def products_for_offers(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await self.repo.products_for_offers(workspace_id, ids)

    async def children_of(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await self.repo.children_of(workspace_id, ids)

    async def products_for_categories(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await self.repo.products_for_categories(workspace_id, ids)

    async def products_for_brands(self, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await self.repo.products_for_brands(workspace_id, ids)

    async def brand_product_counts(self, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
        return await self.repo.brand_product_counts(workspace_id, ids)

    async def category_product_counts(self, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
        return await self.repo.category_product_counts(workspace_id, list(ids))

    async def category_children_counts(self, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
        return await self.repo.category_children_counts(workspace_id, list(ids))
