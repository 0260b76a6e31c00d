"""Products and offers: the rules. Services never commit; the caller owns the transaction.

Brands and categories live in ``domain.catalog.taxonomy``; shared rules (sorting, includes, slugs) in
``domain.catalog.rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.catalog import inputs
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.repository import CatalogRepository, OfferFilter, ProductFilter, Sort
from domain.catalog.rules import Page
from domain.catalog.taxonomy import SlugMixin
from domain.errors import InvalidInput, NotFound

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
    """What ``?include=`` asked for, keyed by product id (absent keys: not included)."""

    brands: dict[int, Brand] = field(default_factory=dict)
    categories: dict[int, list[Category]] | None = None
    offers: dict[int, list[Offer]] | None = None
    included: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProductAnalytics:
    analytics_visits: int
    total_clicks: int
    affiliate_clicks: int


def _unknown_ids(field_name: str, values: Sequence[int], known: set[int]) -> None:
    errors = {
        f"{field_name}.{i}": [f"The selected {field_name}.{i} is invalid."]
        for i, value in enumerate(values)
        if value not in known
    }
    inputs.raise_errors(errors)


class ProductService(SlugMixin):
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def get(self, principal: Principal, product_id: int) -> Product:
        principal.require("store.products.read")
        product = await self.repo.get_product(principal.workspace_id, product_id)
        if product is None:
            raise NotFound("Product not found.")
        return product

    async def by_ids(self, principal: Principal, ids: Sequence[int]) -> dict[int, Product]:
        principal.require("store.products.read")
        return await self.repo.get_products_by_ids(principal.workspace_id, ids)

    async def page(self, principal: Principal, f: ProductFilter, sort: Sort, offset: int, limit: int) -> Page[Product]:
        principal.require("store.products.read")
        items, total = await self.repo.product_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def relations(
        self, principal: Principal, products: Sequence[Product], includes: frozenset[str]
    ) -> ProductRelations:
        """The included relations for a page of products: one query per relation, whatever the page size."""
        ws = principal.workspace_id
        ids = [p.id for p in products]
        out = ProductRelations(included=includes)
        if "brand" in includes:
            out.brands = await self.repo.brands_by_ids(ws, [p.brand_id for p in products if p.brand_id is not None])
        if "categories" in includes:
            out.categories = await self.repo.categories_for_products(ws, ids)
        if "offers" in includes:
            out.offers = await self.repo.offers_for_products(ws, ids)
        return out

    async def _check_brand(self, principal: Principal, brand_id: int | None) -> None:
        if brand_id is not None and await self.repo.get_brand(principal.workspace_id, brand_id) is None:
            raise InvalidInput.field("brand_id", "The selected brand id is invalid.")

    async def create(self, principal: Principal, values: dict[str, Any]) -> Product:
        principal.require("store.products.manage")
        data = inputs.clean(inputs.PRODUCT_RULES, values, partial=False)
        await self._check_brand(principal, data.get("brand_id"))
        slug = data.pop("slug", None)
        product = Product(workspace_id=principal.workspace_id, **data)
        await self.assign_slug(Product, product, requested=slug, fallback="product")
        self.repo.add(product)
        await self.repo.flush()
        return product

    async def update(self, principal: Principal, product_id: int, values: dict[str, Any]) -> Product:
        principal.require("store.products.manage")
        product = await self.get(principal, product_id)
        data = inputs.clean(inputs.PRODUCT_RULES, values, partial=True)
        if "brand_id" in data:
            await self._check_brand(principal, data["brand_id"])
        slug = data.pop("slug", None)
        for key, value in data.items():
            setattr(product, key, value)
        if slug:
            await self.assign_slug(Product, product, requested=slug, fallback="product")
        product.updated_at = utcnow()
        await self.repo.flush()
        return product

    async def delete(self, principal: Principal, product_id: int) -> None:
        principal.require("store.products.manage")
        product = await self.get(principal, product_id)
        await self.soft_delete(principal.workspace_id, [product.id])

    async def soft_delete(self, workspace_id: str, product_ids: Sequence[int]) -> int:
        """The one way products are deleted (the delete endpoint, the store clean-up): a soft delete. The row
        stays (its slug stays reserved) but no read returns it again. How many were deleted."""
        return await self.repo.soft_delete_products(workspace_id, product_ids)

    async def categories(self, principal: Principal, product_id: int) -> list[Category]:
        product = await self.get(principal, product_id)
        return (await self.repo.categories_for_products(principal.workspace_id, [product.id])).get(product.id, [])

    async def sync_categories(self, principal: Principal, product_id: int, values: dict[str, Any]) -> list[Category]:
        """Replace every category link of the product (an empty list removes them all)."""
        principal.require("store.products.manage")
        product = await self.get(principal, product_id)
        ids: list[int] = inputs.clean(inputs.CATEGORY_IDS_RULE, values, partial=False)["category_ids"]
        known = await self.repo.categories_by_ids(principal.workspace_id, ids)
        _unknown_ids("category_ids", ids, set(known))
        await self.repo.set_product_categories(principal.workspace_id, product.id, ids)
        product.updated_at = utcnow()
        await self.repo.flush()
        return [known[i] for i in ids]

    async def offers(self, principal: Principal, product_id: int, sort: Sort, offset: int, limit: int) -> Page[Offer]:
        product = await self.get(principal, product_id)
        f = OfferFilter(product_id=product.id)
        items, total = await self.repo.offer_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def analytics(self, principal: Principal, product_id: int) -> ProductAnalytics:
        product = await self.get(principal, product_id)
        return ProductAnalytics(product.analytics_visits, product.total_clicks, product.affiliate_clicks)


class OfferService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def get(self, principal: Principal, offer_id: int) -> Offer:
        principal.require("store.offers.read")
        offer = await self.repo.get_offer(principal.workspace_id, offer_id)
        if offer is None:
            raise NotFound("Offer not found.")
        return offer

    async def page(self, principal: Principal, f: OfferFilter, sort: Sort, offset: int, limit: int) -> Page[Offer]:
        principal.require("store.offers.read")
        items, total = await self.repo.offer_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def merchants(self, principal: Principal) -> dict[str, str]:
        """The merchants the store's enabled offers come from, with their display names."""
        principal.require("store.offers.read")
        names = await self.repo.enabled_merchants(principal.workspace_id)
        return {m: MERCHANT_NAMES.get(m.lower(), m.title()) for m in names}

    @staticmethod
    def _merchant_offer_id(data: dict[str, Any], *, partial: bool) -> None:
        """``merchant_product_id`` is the deprecated alias: when supplied, it is the merchant offer id."""
        alias = data.pop("merchant_product_id", None)
        if alias is not None:
            data["merchant_offer_id"] = alias
        if not partial and not data.get("merchant_offer_id"):
            raise InvalidInput.field("merchant_offer_id", "The merchant offer id field is required.")
        if partial and "merchant_offer_id" in data and not data["merchant_offer_id"]:
            raise InvalidInput.field("merchant_offer_id", "The merchant offer id field is required.")

    async def create(self, principal: Principal, values: dict[str, Any]) -> Offer:
        principal.require("store.offers.manage")
        data = inputs.clean(inputs.OFFER_RULES, values, partial=False)
        self._merchant_offer_id(data, partial=False)
        offer = Offer(workspace_id=principal.workspace_id, **data)
        self.repo.add(offer)
        await self.repo.flush()
        return offer

    async def update(self, principal: Principal, offer_id: int, values: dict[str, Any]) -> Offer:
        principal.require("store.offers.manage")
        offer = await self.get(principal, offer_id)
        data = inputs.clean(inputs.OFFER_RULES, values, partial=True)
        self._merchant_offer_id(data, partial=True)
        for key, value in data.items():
            setattr(offer, key, value)
        offer.updated_at = utcnow()
        await self.repo.flush()
        return offer

    async def delete(self, principal: Principal, offer_id: int) -> None:
        principal.require("store.offers.manage")
        offer = await self.get(principal, offer_id)
        await self.repo.delete_offers(principal.workspace_id, [offer.id])

    async def products(self, principal: Principal, offer_id: int) -> list[Product]:
        offer = await self.get(principal, offer_id)
        return (await self.repo.products_for_offers(principal.workspace_id, [offer.id])).get(offer.id, [])

    async def sync_products(self, principal: Principal, offer_id: int, values: dict[str, Any]) -> list[Product]:
        """Replace every product link of the offer (an empty list removes them all)."""
        principal.require("store.offers.manage")
        offer = await self.get(principal, offer_id)
        ids: list[int] = inputs.clean(inputs.PRODUCT_IDS_RULE, values, partial=False)["product_ids"]
        known = await self.repo.get_products_by_ids(principal.workspace_id, ids)
        _unknown_ids("product_ids", ids, set(known))
        await self.repo.set_offer_products(principal.workspace_id, offer.id, ids)
        offer.updated_at = utcnow()
        await self.repo.flush()
        return [known[i] for i in ids]
