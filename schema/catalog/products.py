"""Products: the type, its list (filter, sort), and its mutations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from domain.accounts.principal import Principal
from domain.catalog import models
from domain.catalog.commands import ProductCategoriesCommand, ProductCommand, ProductFilter
from domain.catalog.service import ProductService
from domain.db import UnitOfWork
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest
from resolvers.loaders import load_all
from schema.catalog.brands import Brand
from schema.catalog.categories import Category
from schema.catalog.offers import Offer
from schema.catalog.reviews import ProductReview, review_connection
from schema.errors import Payload, payload_mutation
from schema.execution import selected
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, input_ids, int_id, list_connection
from schema.types import Info

MANAGE = "store.products.manage"


@strawberry.type(description="The unified product: store fields and the fields content generation reads.")
class Product(Node, FromModel):
    rest_id = "product_id"

    product_id: int = strawberry.field(description="The integer id the store REST API uses.")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    content_bottom: str | None
    highlights: JSON
    summary: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    review_quantity: int | None
    review_score: float | None
    enabled: bool
    in_sitemap: bool
    generated: bool
    upc: str | None
    ean: str | None
    isbn: str | None
    mpn: str | None
    main_image_url: str | None
    analytics_visits: int
    total_clicks: int
    affiliate_clicks: int
    external_product_code: str | None
    market: str | None
    language: str | None
    variant_group_id: str | None
    keywords: JSON = strawberry.field(description="Keyword groups for content generation.")
    attributes: JSON
    reviews: JSON
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Product | Row[Any]]  # a row of ``page_rows`` on a page
    # brand, categories and offers when loaded for a whole page at once (``hold_relations``).
    held: strawberry.Private[dict[str, Any] | None] = None

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        product_id = int_id("Product", raw_id)
        return cls.from_model(await info.context.read(lambda s, p: ProductService(s).get_row(p, product_id)))

    @strawberry.field
    async def brand(self, info: Info) -> Brand | None:
        if self.model.brand_id is None:
            return None
        brand = await info.context.loaders.catalog.brand.load((self.model.workspace_id, self.model.brand_id))
        return _brand(brand)

    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        rows = await info.context.loaders.catalog.product_categories.load((self.model.workspace_id, self.model.id))
        return _categories(rows)

    @strawberry.field
    async def offers(self, info: Info) -> list[Offer]:
        rows = await info.context.loaders.catalog.product_offers.load((self.model.workspace_id, self.model.id))
        return _offers(rows)

    @strawberry.field(
        description="Stored customer reviews (addProductReviews), oldest first; ``reviews`` is the "
        "store API's free-form JSON field."
    )
    async def product_reviews(self, info: Info, first: int = 20, after: str | None = None) -> Connection[ProductReview]:
        return await review_connection(info, self.model.workspace_id, self.model.id, first, after)


def _brand(brand: Row[Any] | None) -> Brand | None:
    return Brand.from_model(brand) if brand is not None else None


def _categories(rows: list[Row[Any]]) -> list[Category]:
    return Category.from_models(rows)


def _offers(rows: list[Row[Any]]) -> list[Offer]:
    return Offer.from_models(rows)


RELATIONS = frozenset({"brand", "categories", "offers"})


def _hold_each(held: list[dict[str, Any]], name: str, rows: list[list[Any]], make: Callable[[Any], list[Any]]) -> None:
    """Each product's ``rows`` made into objects by ``make`` in one call for the whole page (not one a product),
    then handed back in order: ``held[i][name]`` the objects of ``rows[i]``."""
    made = make(row for each in rows for row in each)
    start = 0
    for h, each in zip(held, rows, strict=True):
        end = start + len(each)
        h[name] = made[start:end]
        start = end


async def hold_relations(info: Info, products: list[Product], *path: str) -> None:
    """Load the relations the selection asks of these products (at ``path`` under the resolving field) for
    all of them at once, through the request's DataLoaders (one statement per relation, shared with every
    other read of the operation), and hand each product its own: its ``brand``, ``categories`` and
    ``offers`` then complete without a resolver (``schema.execution``). The values are what the resolvers
    would answer."""
    wanted = selected(info, *path) & RELATIONS
    if not wanted or not products:
        return
    loaders = info.context.loaders.catalog
    ids = [(p.model.workspace_id, p.model.id) for p in products]
    held: list[dict[str, Any]] = [{} for _ in products]
    try:
        if "brand" in wanted:
            keys = [(p.model.workspace_id, p.model.brand_id) for p in products if p.model.brand_id is not None]
            rows = dict(zip(keys, await load_all(loaders.brand, keys), strict=True))  # each brand once
            found = [key for key, row in rows.items() if row is not None]
            # One object per brand, shared by its products (an answer may hold an object in several places).
            brands = dict(zip(found, Brand.from_models(rows[key] for key in found), strict=True))
            for p, h in zip(products, held, strict=True):
                brand_id = p.model.brand_id
                h["brand"] = brands.get((p.model.workspace_id, brand_id)) if brand_id is not None else None
        if "categories" in wanted:
            _hold_each(held, "categories", await load_all(loaders.product_categories, ids), Category.from_models)
        if "offers" in wanted:
            _hold_each(held, "offers", await load_all(loaders.product_offers, ids), Offer.from_models)
    except Exception:
        # A relation that failed to load is not held: each product's resolver loads it and fails there, so
        # the errors are the fields' own, as without this (the relations held so far are kept).
        pass
    for p, h in zip(products, held, strict=True):
        p.held = h


@strawberry.enum
class ProductSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"
    REVIEW_SCORE = "review_score"
    REVIEW_QUANTITY = "review_quantity"
    ANALYTICS_VISITS = "analytics_visits"
    TOTAL_CLICKS = "total_clicks"
    AFFILIATE_CLICKS = "affiliate_clicks"


@strawberry.input
class ProductSort:
    field: ProductSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="ProductFilter")
class ProductFilterInput:
    search: str | None = None
    enabled: bool | None = None
    brand_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    generated: bool | None = None

    def domain(self) -> ProductFilter:
        return ProductFilter(
            search=self.search,
            enabled=self.enabled,
            brand_id=int_id("Brand", self.brand_id) if self.brand_id is not None else None,
            category_id=int_id("Category", self.category_id) if self.category_id is not None else None,
            generated=self.generated,
        )


@strawberry.input
class ProductInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    highlights: JSON | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    review_quantity: int | None = strawberry.UNSET
    review_score: float | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    in_sitemap: bool | None = strawberry.UNSET
    generated: bool | None = strawberry.UNSET
    brand_id: strawberry.ID | None = strawberry.UNSET
    upc: str | None = strawberry.UNSET
    ean: str | None = strawberry.UNSET
    isbn: str | None = strawberry.UNSET
    mpn: str | None = strawberry.UNSET
    main_image_url: str | None = strawberry.UNSET
    external_product_code: str | None = strawberry.UNSET
    market: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    variant_group_id: str | None = strawberry.UNSET
    keywords: JSON | None = strawberry.UNSET
    attributes: JSON | None = strawberry.UNSET
    reviews: JSON | None = strawberry.UNSET


@strawberry.type
class ProductPayload(Payload):
    product: Product | None = None


IDS = {"brand_id": ("brand_id", "Brand")}


class _ProductRows:
    """``ProductService``'s list as plain rows (``page_rows``: no ORM objects built for a page)."""

    def __init__(self, session: AsyncSession) -> None:
        self.service = ProductService(session)

    async def page(self, principal: Principal, f: ProductFilter, request: PageRequest) -> Page[Row[Any]]:
        return await self.service.page_rows(principal, f, request)


@strawberry.type
class ProductQuery:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product:
        return await Product.resolve_node(info, id)

    @strawberry.field(
        description=f"The workspace's products (newest first by default), at most {MAX_PAGE_SIZE} a page."
    )
    async def products(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ProductFilterInput | None = None,
        sort: ProductSort | None = None,
    ) -> Connection[Product]:
        connection = await list_connection(
            info, _ProductRows, Product.from_models, filter or ProductFilterInput(), first, after, sort
        )
        await hold_relations(info, [edge.node for edge in connection.edges], "edges", "node")
        return connection


@strawberry.type
class ProductMutation:
    @payload_mutation()
    async def create_product(self, info: Info, input: ProductInput) -> ProductPayload:
        await info.context.require(MANAGE)
        cmd = await parse_input(info, ProductCommand, input, ids=IDS)
        product = await info.context.write(lambda uow, p: ProductService(uow.session).create(p, cmd))
        return ProductPayload(product=Product.from_model(product))

    @payload_mutation(description="Change the fields sent; the others keep their values.")
    async def update_product(self, info: Info, id: strawberry.ID, input: ProductInput) -> ProductPayload:
        await info.context.require(MANAGE)
        product_id = int_id("Product", id)
        cmd = await parse_input(info, ProductCommand, input, ids=IDS, partial=True, subject=product_id)
        product = await info.context.write(lambda uow, p: ProductService(uow.session).update(p, product_id, cmd))
        return ProductPayload(product=Product.from_model(product))

    @payload_mutation(description="Soft-deletes the product.")
    async def delete_product(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Product", id, ProductService, permission=MANAGE)

    @payload_mutation(description="Replace every category of the product.")
    async def set_product_categories(
        self, info: Info, id: strawberry.ID, category_ids: list[strawberry.ID]
    ) -> ProductPayload:
        principal = await info.context.require(MANAGE)
        product_id = int_id("Product", id)
        ids = input_ids("Category", category_ids, "category_ids")
        cmd = await info.context.scope.parse(ProductCategoriesCommand, {"category_ids": ids})

        async def write(uow: UnitOfWork) -> models.Product:
            svc = ProductService(uow.session)
            await svc.set_categories(principal, product_id, cmd)
            return await svc.get(principal, product_id)

        return ProductPayload(product=Product.from_model(await info.context.scope.write(write)))
