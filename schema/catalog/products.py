"""Products: the type, its list (filter, sort), and its mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry
from strawberry.scalars import JSON

from domain.catalog import models
from domain.catalog.commands import ProductCategoriesCommand, ProductCommand, ProductFilter
from domain.catalog.service import ProductService
from domain.db import UnitOfWork
from domain.paging import MAX_PAGE_SIZE
from schema.catalog.brands import Brand
from schema.catalog.categories import Category
from schema.catalog.offers import Offer
from schema.catalog.reviews import ProductReview, review_connection
from schema.errors import Payload, payload_mutation
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
    model: strawberry.Private[models.Product]

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: ProductService(s).get(p, int_id("Product", raw_id))))

    @strawberry.field
    async def brand(self, info: Info) -> Brand | None:
        if self.model.brand_id is None:
            return None
        brand = await info.context.loaders.catalog.brand.load((self.model.workspace_id, self.model.brand_id))
        return Brand.from_model(brand) if brand is not None else None

    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        rows = await info.context.loaders.catalog.product_categories.load((self.model.workspace_id, self.model.id))
        return [Category.from_model(c) for c in rows]

    @strawberry.field
    async def offers(self, info: Info) -> list[Offer]:
        rows = await info.context.loaders.catalog.product_offers.load((self.model.workspace_id, self.model.id))
        return [Offer.from_model(o) for o in rows]

    @strawberry.field(
        description="Stored customer reviews (addProductReviews), oldest first; ``reviews`` is the "
        "store API's free-form JSON field."
    )
    async def product_reviews(self, info: Info, first: int = 20, after: str | None = None) -> Connection[ProductReview]:
        return await review_connection(info, self.model.workspace_id, self.model.id, first, after)


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
        return await list_connection(
            info, ProductService, Product.from_model, filter or ProductFilterInput(), first, after, sort
        )


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
