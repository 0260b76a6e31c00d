"""The catalog's per-request DataLoaders: one ``IN (...)`` query per relation and batch.

Keys carry the workspace id next to the object id, so a loader can never return another tenant's rows even
though it is built before the caller is known; a batch holds one workspace in practice, but is grouped by
workspace all the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Row
from strawberry.dataloader import DataLoader

from domain.catalog.loads import CatalogLoads
from domain.catalog.models import Category, Product, ProductReview
from domain.catalog.repository import ReviewRepository
from resolvers.context import RequestScope
from resolvers.workspace_loaders import Key, workspace_loader

V = TypeVar("V")


def _none() -> None:
    return None


def _zero() -> int:
    return 0


@dataclass
class CatalogLoaders:
    product: DataLoader[Key, Product | None]
    # A product's relations as plain rows (the repository's ``*_row*`` reads: the columns named as the
    # models' attributes), which is all the GraphQL types read of them: no ORM objects built.
    brand: DataLoader[Key, Row[Any] | None]
    category: DataLoader[Key, Category | None]
    product_categories: DataLoader[Key, list[Row[Any]]]
    product_offers: DataLoader[Key, list[Row[Any]]]
    offer_products: DataLoader[Key, list[Product]]
    category_children: DataLoader[Key, list[Category]]
    category_products: DataLoader[Key, list[Product]]
    brand_products: DataLoader[Key, list[Product]]
    brand_products_count: DataLoader[Key, int]
    category_products_count: DataLoader[Key, int]
    category_children_count: DataLoader[Key, int]
    # Product.productReviews' first page: key (workspace, product, how many); one query per page size.
    product_reviews: DataLoader[tuple[str, int, int], list[ProductReview]]
    product_review_counts: DataLoader[Key, int]


def build_catalog_loaders(scope: RequestScope) -> CatalogLoaders:
    def loader(
        fetch: Callable[[CatalogLoads, str, Sequence[int]], Awaitable[Mapping[int, V]]], missing: Callable[[], V]
    ) -> DataLoader[Key, V]:
        """A loader answering ``fetch(loads, workspace id, ids)`` on the request's read session."""

        async def load(ws: str, ids: Sequence[int]) -> dict[int, V]:
            return dict(await scope.read(lambda s: fetch(CatalogLoads(s), ws, ids)))

        return workspace_loader(load, missing)

    async def first_reviews(keys: list[tuple[str, int, int]]) -> list[list[ProductReview]]:
        found: dict[tuple[str, int, int], list[ProductReview]] = {}
        for ws, limit in dict.fromkeys((ws, limit) for ws, _, limit in keys):
            ids = [pid for w, pid, n in keys if (w, n) == (ws, limit)]
            rows = await scope.read(lambda s: ReviewRepository(s).first_reviews(ws, ids, limit))  # noqa: B023
            found.update({(ws, pid, limit): rows.get(pid, []) for pid in ids})
        return [found[k] for k in keys]

    async def review_counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await scope.read(lambda s: ReviewRepository(s).counts(ws, ids))

    return CatalogLoaders(
        product=loader(CatalogLoads.products, _none),
        brand=loader(CatalogLoads.brand_rows, _none),
        category=loader(CatalogLoads.categories, _none),
        product_categories=loader(CatalogLoads.category_rows_for_products, list),
        product_offers=loader(CatalogLoads.offer_rows_for_products, list),
        offer_products=loader(CatalogLoads.products_for_offers, list),
        category_children=loader(CatalogLoads.children_of, list),
        category_products=loader(CatalogLoads.products_for_categories, list),
        brand_products=loader(CatalogLoads.products_for_brands, list),
        brand_products_count=loader(CatalogLoads.brand_product_counts, _zero),
        category_products_count=loader(CatalogLoads.category_product_counts, _zero),
        category_children_count=loader(CatalogLoads.category_children_counts, _zero),
        product_reviews=DataLoader(load_fn=first_reviews),
        product_review_counts=workspace_loader(review_counts, _zero),
    )
