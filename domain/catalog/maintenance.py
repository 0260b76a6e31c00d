"""The catalog's store-wide numbers and clean-up, which the store endpoints report and trigger.
Services never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.repository import CatalogRepository
from domain.catalog.service import ProductService
from domain.merchants.repository import MerchantRepository

# In the order they run: offers first, so products they leave offerless go in the same run; then the
# brands and categories those products leave empty.
CLEAN_OPERATIONS = ("expired_offers", "out_of_stock_offers", "offerless_products", "empty_brands", "empty_categories")
DEFAULT_CLEAN = ("expired_offers", "offerless_products", "empty_brands", "empty_categories")


@dataclass(frozen=True)
class CatalogTotals:
    products: int  # live ones (soft-deleted products are gone for every read)
    brands: int
    categories: int
    offers: int


class CatalogStats:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def totals(self, principal: Principal) -> CatalogTotals:
        principal.require("store.store.read")
        return CatalogTotals(**await self.repo.totals(principal.workspace_id))


class CatalogCleaner:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)
        self.products = ProductService(session)
        self.merchants = MerchantRepository(session)

    async def clean(self, principal: Principal, operations: Collection[str] | None) -> dict[str, int]:
        """Run the requested operations (``None``: ``DEFAULT_CLEAN``) in ``CLEAN_OPERATIONS`` order; how many rows
        each one deleted. The caller's command checked the names."""
        principal.require("store.store.manage")
        requested = set(DEFAULT_CLEAN if operations is None else operations)
        ws = principal.workspace_id
        deleted: dict[str, int] = {}
        for operation in CLEAN_OPERATIONS:
            if operation not in requested:
                continue
            if operation == "expired_offers":
                # Offers the merchant said it no longer lists (the merchants.refresh_offers job asks it).
                deleted[operation] = await self.repo.delete_offers(ws, await self.merchants.unlisted_offer_ids(ws))
            elif operation == "out_of_stock_offers":
                deleted[operation] = await self.repo.delete_offers(ws, await self.repo.out_of_stock_offer_ids(ws))
            elif operation == "offerless_products":
                deleted[operation] = await self.products.soft_delete(ws, await self.repo.offerless_product_ids(ws))
            elif operation == "empty_brands":
                deleted[operation] = await self.repo.delete_brands(ws, await self.repo.empty_brand_ids(ws))
            elif operation == "empty_categories":
                deleted[operation] = await self._empty_categories(ws)
        return deleted

    async def _empty_categories(self, workspace_id: str) -> int:
        """Repeated until none is left, so a branch of empty categories goes in one run."""
        total = 0
        while ids := await self.repo.empty_leaf_category_ids(workspace_id):
            total += await self.repo.delete_categories(workspace_id, ids)
        return total
