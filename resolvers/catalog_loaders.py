"""The catalog's per-request DataLoaders: one ``IN (...)`` query per relation and batch.

Keys carry the workspace id next to the object id, so a loader can never return another tenant's rows even
though it is built before the caller is known; a batch holds one workspace in practice, but is grouped by
workspace all the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from domain.catalog.models import Brand, Category, Offer, Product
from resolvers import catalog
from resolvers.context import AppServices

V = TypeVar("V")

Key = tuple[str, int]


def _loader(
    fetch: Callable[[str, Sequence[int]], Awaitable[dict[int, V]]], missing: Callable[[], V]
) -> DataLoader[Key, V]:
    async def load(keys: list[Key]) -> list[V]:
        by_workspace: dict[str, list[int]] = {}
        for workspace_id, object_id in keys:
            by_workspace.setdefault(workspace_id, []).append(object_id)
        found: dict[Key, V] = {}
        for workspace_id, ids in by_workspace.items():
            for object_id, value in (await fetch(workspace_id, ids)).items():
                found[(workspace_id, object_id)] = value
        return [found[k] if k in found else missing() for k in keys]

    return DataLoader(load_fn=load)


def _none() -> None:
    return None


def _zero() -> int:
    return 0


@dataclass
class CatalogLoaders:
    product: DataLoader[Key, Product | None]
    brand: DataLoader[Key, Brand | None]
    category: DataLoader[Key, Category | None]
    product_categories: DataLoader[Key, list[Category]]
    product_offers: DataLoader[Key, list[Offer]]
    offer_products: DataLoader[Key, list[Product]]
    category_children: DataLoader[Key, list[Category]]
    category_products: DataLoader[Key, list[Product]]
    brand_products: DataLoader[Key, list[Product]]
    brand_products_count: DataLoader[Key, int]
    category_products_count: DataLoader[Key, int]
    category_children_count: DataLoader[Key, int]


def build_catalog_loaders(services: AppServices) -> CatalogLoaders:
    async def products(ws: str, ids: Sequence[int]) -> dict[int, Product | None]:
        return dict(await catalog.products_by_ids(services, ws, ids))

    async def brands(ws: str, ids: Sequence[int]) -> dict[int, Brand | None]:
        return dict(await catalog.brands_by_ids(services, ws, ids))

    async def categories(ws: str, ids: Sequence[int]) -> dict[int, Category | None]:
        return dict(await catalog.categories_by_ids(services, ws, ids))

    async def product_categories(ws: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await catalog.categories_for_products(services, ws, ids)

    async def product_offers(ws: str, ids: Sequence[int]) -> dict[int, list[Offer]]:
        return await catalog.offers_for_products(services, ws, ids)

    async def offer_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await catalog.products_for_offers(services, ws, ids)

    async def children(ws: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await catalog.children_of(services, ws, ids)

    async def category_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await catalog.products_for_categories(services, ws, ids)

    async def brand_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await catalog.products_for_brands(services, ws, ids)

    async def brand_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await catalog.brand_counts_raw(services, ws, ids)

    async def category_product_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await catalog.category_product_counts_raw(services, ws, ids)

    async def category_children_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await catalog.category_children_counts_raw(services, ws, ids)

    return CatalogLoaders(
        product=_loader(products, _none),
        brand=_loader(brands, _none),
        category=_loader(categories, _none),
        product_categories=_loader(product_categories, list),
        product_offers=_loader(product_offers, list),
        offer_products=_loader(offer_products, list),
        category_children=_loader(children, list),
        category_products=_loader(category_products, list),
        brand_products=_loader(brand_products, list),
        brand_products_count=_loader(brand_counts, _zero),
        category_products_count=_loader(category_product_counts, _zero),
        category_children_count=_loader(category_children_counts, _zero),
    )
