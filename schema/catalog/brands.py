"""Brands: the type, its list (filter, sort), and its mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from domain.catalog import models
from domain.catalog.commands import BrandCommand, BrandFilter
from domain.catalog.taxonomy import BrandService
from domain.paging import MAX_PAGE_SIZE
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, int_id, list_connection
from schema.types import Info

if TYPE_CHECKING:
    from schema.catalog.products import Product

MANAGE = "store.brands.manage"


@strawberry.type(description="A store brand.")
class Brand(Node, FromModel):
    rest_id = "brand_id"

    brand_id: int = strawberry.field(description="The integer id the store REST API uses.")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Brand | Row[Any]]  # a row of a ``*_row*`` read, as a product's relation

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: BrandService(s).get(p, int_id("Brand", raw_id))))

    @strawberry.field(description="Live (not deleted) products of this brand.")
    async def products_count(self, info: Info) -> int:
        return await info.context.loaders.catalog.brand_products_count.load((self.model.workspace_id, self.model.id))

    @strawberry.field(description="The brand's products, newest first.")
    async def products(self, info: Info) -> list[Annotated[Product, strawberry.lazy("schema.catalog.products")]]:
        from schema.catalog.products import Product

        rows = await info.context.loaders.catalog.brand_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]


@strawberry.enum
class BrandSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"


@strawberry.input
class BrandSort:
    field: BrandSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="BrandFilter")
class BrandFilterInput:
    search: str | None = None
    enabled: bool | None = None

    def domain(self) -> BrandFilter:
        return BrandFilter(search=self.search, enabled=self.enabled)


@strawberry.input
class BrandInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.type
class BrandPayload(Payload):
    brand: Brand | None = None


@strawberry.type
class BrandQuery:
    @strawberry.field
    async def brand(self, info: Info, id: strawberry.ID) -> Brand:
        return await Brand.resolve_node(info, id)

    @strawberry.field(description=f"The workspace's brands, at most {MAX_PAGE_SIZE} a page.")
    async def brands(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: BrandFilterInput | None = None,
        sort: BrandSort | None = None,
    ) -> Connection[Brand]:
        return await list_connection(
            info, BrandService, Brand.from_models, filter or BrandFilterInput(), first, after, sort
        )


@strawberry.type
class BrandMutation:
    @payload_mutation()
    async def create_brand(self, info: Info, input: BrandInput) -> BrandPayload:
        await info.context.require(MANAGE)
        cmd = await parse_input(info, BrandCommand, input)
        brand = await info.context.write(lambda uow, p: BrandService(uow.session).create(p, cmd))
        return BrandPayload(brand=Brand.from_model(brand))

    @payload_mutation()
    async def update_brand(self, info: Info, id: strawberry.ID, input: BrandInput) -> BrandPayload:
        await info.context.require(MANAGE)
        brand_id = int_id("Brand", id)
        cmd = await parse_input(info, BrandCommand, input, partial=True, subject=brand_id)
        brand = await info.context.write(lambda uow, p: BrandService(uow.session).update(p, brand_id, cmd))
        return BrandPayload(brand=Brand.from_model(brand))

    @payload_mutation(description="Deletes the brand; its products keep existing without a brand.")
    async def delete_brand(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Brand", id, BrandService, permission=MANAGE)
