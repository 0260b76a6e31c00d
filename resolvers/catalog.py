"""Catalog reads and writes for GraphQL and the store REST surface alike: open the session or the unit of
work, call the domain service, hand back domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.accounts.principal import Principal
from domain.catalog.loads import CatalogLoads
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.repository import (
    BrandFilter,
    CategoryFilter,
    OfferFilter,
    ProductFilter,
    Sort,
)
from domain.catalog.rules import Page
from domain.catalog.service import OfferService, ProductAnalytics, ProductRelations, ProductService
from domain.catalog.taxonomy import BrandService, CategoryCounts, CategoryService, TreeNode
from resolvers.context import AppServices


@dataclass(frozen=True)
class Window:
    sort: Sort
    offset: int
    limit: int


# ---- products ---------------------------------------------------------------------------------------------


async def list_products(
    services: AppServices, principal: Principal, f: ProductFilter, w: Window, includes: frozenset[str] = frozenset()
) -> tuple[Page[Product], ProductRelations]:
    async with services.read() as session:
        svc = ProductService(session)
        page = await svc.page(principal, f, w.sort, w.offset, w.limit)
        return page, await svc.relations(principal, page.items, includes)


async def get_product(
    services: AppServices, principal: Principal, product_id: int, includes: frozenset[str] = frozenset()
) -> tuple[Product, ProductRelations]:
    async with services.read() as session:
        svc = ProductService(session)
        product = await svc.get(principal, product_id)
        return product, await svc.relations(principal, [product], includes)


async def create_product(services: AppServices, principal: Principal, values: dict[str, Any]) -> Product:
    async with services.unit_of_work() as uow:
        return await ProductService(uow.session).create(principal, values)


async def update_product(
    services: AppServices, principal: Principal, product_id: int, values: dict[str, Any]
) -> Product:
    async with services.unit_of_work() as uow:
        return await ProductService(uow.session).update(principal, product_id, values)


async def delete_product(services: AppServices, principal: Principal, product_id: int) -> None:
    async with services.unit_of_work() as uow:
        await ProductService(uow.session).delete(principal, product_id)


async def product_categories(services: AppServices, principal: Principal, product_id: int) -> list[Category]:
    async with services.read() as session:
        return await ProductService(session).categories(principal, product_id)


async def sync_product_categories(
    services: AppServices, principal: Principal, product_id: int, values: dict[str, Any]
) -> list[Category]:
    async with services.unit_of_work() as uow:
        return await ProductService(uow.session).sync_categories(principal, product_id, values)


async def product_offers(services: AppServices, principal: Principal, product_id: int, w: Window) -> Page[Offer]:
    async with services.read() as session:
        return await ProductService(session).offers(principal, product_id, w.sort, w.offset, w.limit)


async def product_analytics(services: AppServices, principal: Principal, product_id: int) -> ProductAnalytics:
    async with services.read() as session:
        return await ProductService(session).analytics(principal, product_id)


# ---- offers -----------------------------------------------------------------------------------------------


async def list_offers(services: AppServices, principal: Principal, f: OfferFilter, w: Window) -> Page[Offer]:
    async with services.read() as session:
        return await OfferService(session).page(principal, f, w.sort, w.offset, w.limit)


async def get_offer(services: AppServices, principal: Principal, offer_id: int) -> Offer:
    async with services.read() as session:
        return await OfferService(session).get(principal, offer_id)


async def offer_merchants(services: AppServices, principal: Principal) -> dict[str, str]:
    async with services.read() as session:
        return await OfferService(session).merchants(principal)


async def create_offer(services: AppServices, principal: Principal, values: dict[str, Any]) -> Offer:
    async with services.unit_of_work() as uow:
        return await OfferService(uow.session).create(principal, values)


async def update_offer(services: AppServices, principal: Principal, offer_id: int, values: dict[str, Any]) -> Offer:
    async with services.unit_of_work() as uow:
        return await OfferService(uow.session).update(principal, offer_id, values)


async def delete_offer(services: AppServices, principal: Principal, offer_id: int) -> None:
    async with services.unit_of_work() as uow:
        await OfferService(uow.session).delete(principal, offer_id)


async def sync_offer_products(
    services: AppServices, principal: Principal, offer_id: int, values: dict[str, Any]
) -> list[Product]:
    async with services.unit_of_work() as uow:
        return await OfferService(uow.session).sync_products(principal, offer_id, values)


async def offer_products(services: AppServices, principal: Principal, offer_id: int) -> list[Product]:
    async with services.read() as session:
        return await OfferService(session).products(principal, offer_id)


# ---- brands -----------------------------------------------------------------------------------------------


async def list_brands(
    services: AppServices, principal: Principal, f: BrandFilter, w: Window
) -> tuple[Page[Brand], dict[int, int]]:
    async with services.read() as session:
        svc = BrandService(session)
        page = await svc.page(principal, f, w.sort, w.offset, w.limit)
        return page, await svc.product_counts(principal, [b.id for b in page.items])


async def get_brand(services: AppServices, principal: Principal, brand_id: int) -> tuple[Brand, int]:
    async with services.read() as session:
        svc = BrandService(session)
        brand = await svc.get(principal, brand_id)
        return brand, (await svc.product_counts(principal, [brand.id])).get(brand.id, 0)


async def create_brand(services: AppServices, principal: Principal, values: dict[str, Any]) -> Brand:
    async with services.unit_of_work() as uow:
        return await BrandService(uow.session).create(principal, values)


async def update_brand(services: AppServices, principal: Principal, brand_id: int, values: dict[str, Any]) -> Brand:
    async with services.unit_of_work() as uow:
        return await BrandService(uow.session).update(principal, brand_id, values)


async def delete_brand(services: AppServices, principal: Principal, brand_id: int) -> None:
    async with services.unit_of_work() as uow:
        await BrandService(uow.session).delete(principal, brand_id)


async def brand_products(
    services: AppServices, principal: Principal, brand_id: int, w: Window, includes: frozenset[str] = frozenset()
) -> tuple[Page[Product], ProductRelations]:
    async with services.read() as session:
        page = await BrandService(session).products(principal, brand_id, w.sort, w.offset, w.limit)
        return page, await ProductService(session).relations(principal, page.items, includes)


async def brand_product_counts(services: AppServices, principal: Principal, ids: list[int]) -> dict[int, int]:
    async with services.read() as session:
        return await BrandService(session).product_counts(principal, ids)


# ---- categories -------------------------------------------------------------------------------------------


async def list_categories(
    services: AppServices, principal: Principal, f: CategoryFilter, w: Window
) -> tuple[Page[Category], CategoryCounts]:
    async with services.read() as session:
        svc = CategoryService(session)
        page = await svc.page(principal, f, w.sort, w.offset, w.limit)
        return page, await svc.counts(principal, [c.id for c in page.items])


async def get_category(
    services: AppServices, principal: Principal, category_id: int
) -> tuple[Category, CategoryCounts]:
    async with services.read() as session:
        svc = CategoryService(session)
        category = await svc.get(principal, category_id)
        return category, await svc.counts(principal, [category.id])


async def category_tree(services: AppServices, principal: Principal) -> tuple[list[TreeNode], CategoryCounts]:
    async with services.read() as session:
        return await CategoryService(session).tree(principal)


async def create_category(services: AppServices, principal: Principal, values: dict[str, Any]) -> Category:
    async with services.unit_of_work() as uow:
        return await CategoryService(uow.session).create(principal, values)


async def update_category(
    services: AppServices, principal: Principal, category_id: int, values: dict[str, Any]
) -> Category:
    async with services.unit_of_work() as uow:
        return await CategoryService(uow.session).update(principal, category_id, values)


async def delete_category(services: AppServices, principal: Principal, category_id: int) -> None:
    async with services.unit_of_work() as uow:
        await CategoryService(uow.session).delete(principal, category_id)


async def category_products(
    services: AppServices,
    principal: Principal,
    category_id: int,
    w: Window,
    includes: frozenset[str] = frozenset(),
) -> tuple[Page[Product], ProductRelations]:
    async with services.read() as session:
        page = await CategoryService(session).products(principal, category_id, w.sort, w.offset, w.limit)
        return page, await ProductService(session).relations(principal, page.items, includes)


async def category_counts(services: AppServices, principal: Principal, ids: list[int]) -> CategoryCounts:
    async with services.read() as session:
        return await CategoryService(session).counts(principal, ids)


# ---- batch loads for DataLoaders (one IN query each; the workspace scopes every one) ---------------------


async def products_by_ids(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, Product]:
    async with services.read() as session:
        return await CatalogLoads(session).products(workspace_id, ids)


async def brands_by_ids(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, Brand]:
    async with services.read() as session:
        return await CatalogLoads(session).brands(workspace_id, ids)


async def categories_by_ids(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, Category]:
    async with services.read() as session:
        return await CatalogLoads(session).categories(workspace_id, ids)


async def offers_by_ids(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, Offer]:
    async with services.read() as session:
        return await CatalogLoads(session).offers(workspace_id, ids)


async def categories_for_products(
    services: AppServices, workspace_id: str, ids: Sequence[int]
) -> dict[int, list[Category]]:
    async with services.read() as session:
        return await CatalogLoads(session).categories_for_products(workspace_id, ids)


async def offers_for_products(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Offer]]:
    async with services.read() as session:
        return await CatalogLoads(session).offers_for_products(workspace_id, ids)


async def products_for_offers(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Product]]:
    async with services.read() as session:
        return await CatalogLoads(session).products_for_offers(workspace_id, ids)


async def children_of(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Category]]:
    async with services.read() as session:
        return await CatalogLoads(session).children_of(workspace_id, ids)


async def products_for_categories(
    services: AppServices, workspace_id: str, ids: Sequence[int]
) -> dict[int, list[Product]]:
    async with services.read() as session:
        return await CatalogLoads(session).products_for_categories(workspace_id, ids)


async def products_for_brands(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, list[Product]]:
    async with services.read() as session:
        return await CatalogLoads(session).products_for_brands(workspace_id, ids)


async def brand_counts_raw(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
    async with services.read() as session:
        return await CatalogLoads(session).brand_product_counts(workspace_id, ids)


async def category_product_counts_raw(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
    async with services.read() as session:
        return await CatalogLoads(session).category_product_counts(workspace_id, ids)


async def category_children_counts_raw(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
    async with services.read() as session:
        return await CatalogLoads(session).category_children_counts(workspace_id, ids)
