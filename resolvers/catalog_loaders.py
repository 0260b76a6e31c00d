"""The catalog's per-request DataLoaders: one ``IN (...)`` query per relation and batch.

Keys carry the workspace id next to the object id, so a loader can never return another tenant's rows even
though it is built before the caller is known; a batch holds one workspace in practice, but is grouped by
workspace all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from domain.catalog.loads import CatalogLoads
from domain.catalog.models import Brand, Category, Offer, Product
from resolvers.context import RequestScope
from resolvers.workspace_loaders import Key, workspace_loader


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


def build_catalog_loaders(scope: RequestScope) -> CatalogLoaders:
    async def products(ws: str, ids: Sequence[int]) -> dict[int, Product | None]:
        return dict(await scope.read(lambda s: CatalogLoads(s).products(ws, ids)))

    async def brands(ws: str, ids: Sequence[int]) -> dict[int, Brand | None]:
        return dict(await scope.read(lambda s: CatalogLoads(s).brands(ws, ids)))

    async def categories(ws: str, ids: Sequence[int]) -> dict[int, Category | None]:
        return dict(await scope.read(lambda s: CatalogLoads(s).categories(ws, ids)))

    async def product_categories(ws: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await scope.read(lambda s: CatalogLoads(s).categories_for_products(ws, ids))

    async def product_offers(ws: str, ids: Sequence[int]) -> dict[int, list[Offer]]:
        return await scope.read(lambda s: CatalogLoads(s).offers_for_products(ws, ids))

    async def offer_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await scope.read(lambda s: CatalogLoads(s).products_for_offers(ws, ids))

    async def children(ws: str, ids: Sequence[int]) -> dict[int, list[Category]]:
        return await scope.read(lambda s: CatalogLoads(s).children_of(ws, ids))

    async def category_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await scope.read(lambda s: CatalogLoads(s).products_for_categories(ws, ids))

    async def brand_products(ws: str, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await scope.read(lambda s: CatalogLoads(s).products_for_brands(ws, ids))

    async def brand_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await scope.read(lambda s: CatalogLoads(s).brand_product_counts(ws, ids))

    async def category_product_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await scope.read(lambda s: CatalogLoads(s).category_product_counts(ws, ids))

    async def category_children_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await scope.read(lambda s: CatalogLoads(s).category_children_counts(ws, ids))

    return CatalogLoaders(
        product=workspace_loader(products, _none),
        brand=workspace_loader(brands, _none),
        category=workspace_loader(categories, _none),
        product_categories=workspace_loader(product_categories, list),
        product_offers=workspace_loader(product_offers, list),
        offer_products=workspace_loader(offer_products, list),
        category_children=workspace_loader(children, list),
        category_products=workspace_loader(category_products, list),
        brand_products=workspace_loader(brand_products, list),
        brand_products_count=workspace_loader(brand_counts, _zero),
        category_products_count=workspace_loader(category_product_counts, _zero),
        category_children_count=workspace_loader(category_children_counts, _zero),
    )
