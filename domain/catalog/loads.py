"""Batch reads for the per-request DataLoaders: one ``IN (...)`` query each, every one scoped to the workspace.
They are the repository's (``categories_for_products``, ``brand_product_counts``, ...), plus the objects by id.

No permission check here: a loader resolves a relation of an object whose read was checked already.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.repository import CatalogRepository


class CatalogLoads(CatalogRepository):
    async def products(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Product]:
        return await self.get_products_by_ids(workspace_id, ids)

    async def brands(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Brand]:
        return await self.by_ids(Brand, workspace_id, ids)

    async def categories(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Category]:
        return await self.by_ids(Category, workspace_id, ids)

    async def offers(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Offer]:
        return await self.by_ids(Offer, workspace_id, ids)
