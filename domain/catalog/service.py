"""Products and offers: the rules. Services never commit; the caller owns the transaction.

Commands arrive parsed (``domain.catalog.commands``): types, lengths and the ids they name were checked by
``domain.validation.parse``. What needs the current state (a slug already taken) is checked here. Brands and
categories live in ``domain.catalog.taxonomy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.catalog.base import CatalogService, NamedService
from domain.catalog.commands import (
    OfferCommand,
    OfferFilter,
    OfferProductsCommand,
    ProductCategoriesCommand,
    ProductCommand,
    ProductFilter,
)
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.rules import OFFER_SORT, PRODUCT_SORT
from domain.errors import InvalidInput, NotFound
from domain.paging import Page, PageRequest

MERCHANT_NAMES = {
    "amazon": "Amazon",
    "aliexpress": "AliExpress",
    "ebay": "eBay",
    "etsy": "Etsy",
    "walmart": "Walmart",
    "custom": "Custom",
}


@dataclass
class ProductRelations:
    """What ``include`` asked for, keyed by product id (``None``: not included)."""

    included: frozenset[str] = frozenset()
    brands: dict[int, Brand] = field(default_factory=dict)
    categories: dict[int, list[Category]] | None = None
    offers: dict[int, list[Offer]] | None = None


@dataclass
class ProductRowRelations:
    """``ProductRelations`` as plain rows (``ProductService.relation_rows``)."""

    included: frozenset[str] = frozenset()
    brands: dict[int, Row[Any]] = field(default_factory=dict)
    categories: dict[int, list[Row[Any]]] | None = None
    offers: dict[int, list[Row[Any]]] | None = None


@dataclass(frozen=True)
class ProductAnalytics:
    analytics_visits: int
    total_clicks: int
    affiliate_clicks: int


class ProductService(NamedService[Product, ProductCommand]):
    model = Product
    read, manage = "store.products.read", "store.products.manage"
    missing = "Product not found."
    slug_base = "product"

    async def _find(self, workspace_id: str, product_id: int) -> Product | None:
        return await self.repo.get_product(workspace_id, product_id)  # a soft-deleted one is gone

    async def get_row(self, principal: Principal, product_id: int) -> Row[Any]:
        """``get`` as a plain row, for a read that only renders it (no ORM object built)."""
        principal.require(self.read)
        row = await self.repo.product_row(principal.workspace_id, product_id)
        if row is None:
            raise NotFound(self.missing)
        return row

    async def page(self, principal: Principal, f: ProductFilter, request: PageRequest) -> Page[Product]:
        principal.require(self.read)
        return await self.repo.product_page(principal.workspace_id, f, PRODUCT_SORT.check(request.sort), request)

    async def page_rows(self, principal: Principal, f: ProductFilter, request: PageRequest) -> Page[Row[Any]]:
        """``page`` as plain rows, for a read that only renders them (no ORM objects built)."""
        principal.require(self.read)
        return await self.repo.product_row_page(principal.workspace_id, f, PRODUCT_SORT.check(request.sort), request)

    async def relation_rows(
        self, principal: Principal, products: Sequence[Row[Any]], includes: frozenset[str]
    ) -> ProductRowRelations:
        """``relations`` for plain rows from ``page_rows``: one query per relation, whatever the page size."""
        ws = principal.workspace_id
        out = ProductRowRelations(included=includes)
        # By position: the rows of one result share their columns (a Row read by attribute costs ~1 µs a name).
        fields = products[0]._fields if products else ("id", "brand_id")
        at_id, at_brand = fields.index("id"), fields.index("brand_id")
        ids = [p[at_id] for p in products]
        if "brand" in includes:
            out.brands = await self.repo.brand_rows(ws, [p[at_brand] for p in products if p[at_brand] is not None])
        if "categories" in includes:
            out.categories = await self.repo.category_rows_for_products(ws, ids)
        if "offers" in includes:
            out.offers = await self.repo.offer_rows_for_products(ws, ids)
        return out

    async def relations(
        self, principal: Principal, products: Sequence[Product], includes: frozenset[str]
    ) -> ProductRelations:
        """The included relations for a page of products: one query per relation, whatever the page size."""
        ws = principal.workspace_id
        ids = [p.id for p in products]
        out = ProductRelations(included=includes)
        if "brand" in includes:
            out.brands = await self.repo.by_ids(Brand, ws, [p.brand_id for p in products if p.brand_id is not None])
        if "categories" in includes:
            out.categories = await self.repo.categories_for_products(ws, ids)
        if "offers" in includes:
            out.offers = await self.repo.offers_for_products(ws, ids)
        return out

    async def delete(self, principal: Principal, product_id: int) -> None:
        principal.require(self.manage)
        product = await self.get(principal, product_id)
        await self.soft_delete(principal.workspace_id, [product.id])

    async def soft_delete(self, workspace_id: str, product_ids: Sequence[int]) -> int:
        """The one way products are deleted (the delete endpoint, the store clean-up): a soft delete. The row
        stays (its slug stays reserved) but no read returns it again. How many were deleted."""
        return await self.repo.soft_delete_products(workspace_id, product_ids)

    async def categories(self, principal: Principal, product_id: int) -> list[Category]:
        product = await self.get(principal, product_id)
        return (await self.repo.categories_for_products(principal.workspace_id, [product.id])).get(product.id, [])

    async def set_categories(
        self, principal: Principal, product_id: int, command: ProductCategoriesCommand
    ) -> list[Category]:
        """Replace every category link of the product (an empty list removes them all)."""
        principal.require(self.manage)
        product = await self.get(principal, product_id)
        ids = command.category_ids
        await self.repo.set_product_categories(principal.workspace_id, product.id, ids)
        product.updated_at = utcnow()
        await self.repo.flush()
        known = await self.repo.by_ids(Category, principal.workspace_id, ids)
        return [known[i] for i in ids if i in known]

    async def offers(self, principal: Principal, product_id: int, request: PageRequest) -> Page[Offer]:
        product = await self.get(principal, product_id)
        f = OfferFilter(product_id=product.id)
        return await self.repo.offer_page(principal.workspace_id, f, OFFER_SORT.check(request.sort), request)

    async def analytics(self, principal: Principal, product_id: int) -> ProductAnalytics:
        product = await self.get(principal, product_id)
        return ProductAnalytics(product.analytics_visits, product.total_clicks, product.affiliate_clicks)


class OfferService(CatalogService[Offer]):
    model = Offer
    read, manage = "store.offers.read", "store.offers.manage"
    missing = "Offer not found."

    async def page(self, principal: Principal, f: OfferFilter, request: PageRequest) -> Page[Offer]:
        principal.require(self.read)
        return await self.repo.offer_page(principal.workspace_id, f, OFFER_SORT.check(request.sort), request)

    async def merchants(self, principal: Principal) -> dict[str, str]:
        """The merchants the store's enabled offers come from, with their display names."""
        principal.require(self.read)
        names = await self.repo.enabled_merchants(principal.workspace_id)
        return {m: MERCHANT_NAMES.get(m.lower(), m.title()) for m in names}

    @staticmethod
    def _check_merchant_offer_id(command: OfferCommand, *, partial: bool) -> None:
        """An offer always has a merchant offer id (sent as such or as its alias ``merchant_product_id``)."""
        if (not partial or "merchant_offer_id" in command.model_fields_set) and not command.merchant_offer_id:
            raise InvalidInput.field("merchant_offer_id", "This field is required.", rule="required")

    async def create(self, principal: Principal, command: OfferCommand) -> Offer:
        principal.require(self.manage)
        self._check_merchant_offer_id(command, partial=False)
        offer = Offer(workspace_id=principal.workspace_id, **command.sent())
        await self.repo.insert(offer)
        return offer

    async def update(self, principal: Principal, offer_id: int, command: OfferCommand) -> Offer:
        """Change the fields the command carries (a partial one); the others keep their values."""
        principal.require(self.manage)
        offer = await self.get(principal, offer_id)
        self._check_merchant_offer_id(command, partial=True)
        for key, value in command.sent().items():
            setattr(offer, key, value)
        offer.updated_at = utcnow()
        await self.repo.flush()
        return offer

    async def delete(self, principal: Principal, offer_id: int) -> None:
        principal.require(self.manage)
        offer = await self.get(principal, offer_id)
        await self.repo.delete_offers(principal.workspace_id, [offer.id])

    async def products(self, principal: Principal, offer_id: int) -> list[Product]:
        offer = await self.get(principal, offer_id)
        return (await self.repo.products_for_offers(principal.workspace_id, [offer.id])).get(offer.id, [])

    async def set_products(self, principal: Principal, offer_id: int, command: OfferProductsCommand) -> list[Product]:
        """Replace every product link of the offer (an empty list removes them all)."""
        principal.require(self.manage)
        offer = await self.get(principal, offer_id)
        ids = command.product_ids
        await self.repo.set_offer_products(principal.workspace_id, offer.id, ids)
        offer.updated_at = utcnow()
        await self.repo.flush()
        known = await self.repo.get_products_by_ids(principal.workspace_id, ids)
        return [known[i] for i in ids if i in known]
