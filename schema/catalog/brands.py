"""Brands: the type, its list (filter, sort), and its mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from domain.catalog import models
from domain.catalog.commands import BrandCommand, BrandFilter
from domain.catalog.taxonomy import BrandService
from domain.paging import MAX_PAGE_SIZE
from schema.catalog.shared import command, loaders, manager
from schema.errors import UserError, payload_mutation
from schema.payloads import DeletePayload
from schema.relay import Connection, Node, SortDirection, int_id, page_request, sort_of, to_global_id
from schema.types import Info

if TYPE_CHECKING:
    from schema.catalog.products import Product

MANAGE = "store.brands.manage"


@strawberry.type(description="A store brand.")
class Brand(Node):
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
    model: strawberry.Private[models.Brand]

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        principal = await info.context.principal()
        brand_id = int_id("Brand", raw_id)
        return cls.from_model(await info.context.scope.read(lambda s: BrandService(s).get(principal, brand_id)))

    @strawberry.field(description="Live (not deleted) products of this brand.")
    async def products_count(self, info: Info) -> int:
        return await loaders(info).brand_products_count.load((self.model.workspace_id, self.model.id))

    @strawberry.field(description="The brand's products, newest first.")
    async def products(self, info: Info) -> list[Annotated[Product, strawberry.lazy("schema.catalog.products")]]:
        from schema.catalog.products import Product

        rows = await loaders(info).brand_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]

    @classmethod
    def from_model(cls, brand: models.Brand) -> Self:
        return cls(
            id=to_global_id("Brand", brand.id),
            brand_id=brand.id,
            slug=brand.slug,
            title=brand.title,
            subtitle=brand.subtitle,
            link_title=brand.link_title,
            content=brand.content,
            content_bottom=brand.content_bottom,
            meta_title=brand.meta_title,
            meta_keywords=brand.meta_keywords,
            meta_description=brand.meta_description,
            enabled=brand.enabled,
            created_at=brand.created_at,
            updated_at=brand.updated_at,
            model=brand,
        )


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

    def filter(self) -> BrandFilter:
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
class BrandPayload:
    brand: Brand | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


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
        principal = await info.context.principal()
        f = (filter or BrandFilterInput()).filter()
        request = page_request(first, after, sort_of(sort))
        page = await info.context.scope.read(lambda s: BrandService(s).page(principal, f, request))
        return Connection.of(page, Brand.from_model)


@strawberry.type
class BrandMutation:
    @payload_mutation()
    async def create_brand(self, info: Info, input: BrandInput) -> BrandPayload:
        principal = await manager(info, MANAGE)
        cmd = await command(info, BrandCommand, input)
        brand = await info.context.scope.write(lambda uow: BrandService(uow.session).create(principal, cmd))
        return BrandPayload(brand=Brand.from_model(brand))

    @payload_mutation()
    async def update_brand(self, info: Info, id: strawberry.ID, input: BrandInput) -> BrandPayload:
        principal = await manager(info, MANAGE)
        brand_id = int_id("Brand", id)
        cmd = await command(info, BrandCommand, input, partial=True)
        brand = await info.context.scope.write(lambda uow: BrandService(uow.session).update(principal, brand_id, cmd))
        return BrandPayload(brand=Brand.from_model(brand))

    @payload_mutation(description="Deletes the brand; its products keep existing without a brand.")
    async def delete_brand(self, info: Info, id: strawberry.ID) -> DeletePayload:
        principal = await manager(info, MANAGE)
        brand_id = int_id("Brand", id)
        await info.context.scope.write(lambda uow: BrandService(uow.session).delete(principal, brand_id))
        return DeletePayload(deleted_id=to_global_id("Brand", brand_id))
