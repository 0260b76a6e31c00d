"""Categories: the type (a tree through its parent), its list (filter, sort), the tree, and its mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from domain.accounts.principal import Principal
from domain.catalog import models
from domain.catalog.commands import CategoryCommand, CategoryFilter
from domain.catalog.taxonomy import CategoryService
from domain.db import UnitOfWork
from domain.jobs.models import Job as JobModel
from domain.paging import MAX_PAGE_SIZE
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.jobs import Job
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, int_id, list_connection
from schema.store_ai import StoreAiInput, parse_ai, start_jobs
from schema.types import Info

if TYPE_CHECKING:
    from schema.catalog.products import Product

MANAGE = "store.categories.manage"


@strawberry.type(description="A product category; categories form a tree through their parent.")
class Category(Node, FromModel):
    rest_id = "category_id"

    category_id: int = strawberry.field(description="The integer id the store REST API uses.")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content_top: str | None
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    sort_order: int
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Category | Row[Any]]  # a row of a ``*_row*`` read, as a product's relation

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(
            await info.context.read(lambda s, p: CategoryService(s).get(p, int_id("Category", raw_id)))
        )

    @strawberry.field
    async def parent(self, info: Info) -> Category | None:
        if self.model.parent_id is None:
            return None
        parent = await info.context.loaders.catalog.category.load((self.model.workspace_id, self.model.parent_id))
        return Category.from_model(parent) if parent is not None else None

    @strawberry.field
    async def children(self, info: Info) -> list[Category]:
        rows = await info.context.loaders.catalog.category_children.load((self.model.workspace_id, self.model.id))
        return [Category.from_model(c) for c in rows]

    @strawberry.field(description="The category's live products, newest first.")
    async def products(self, info: Info) -> list[Annotated[Product, strawberry.lazy("schema.catalog.products")]]:
        from schema.catalog.products import Product

        rows = await info.context.loaders.catalog.category_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]

    @strawberry.field
    async def products_count(self, info: Info) -> int:
        return await info.context.loaders.catalog.category_products_count.load((self.model.workspace_id, self.model.id))

    @strawberry.field
    async def children_count(self, info: Info) -> int:
        return await info.context.loaders.catalog.category_children_count.load((self.model.workspace_id, self.model.id))


@strawberry.enum
class CategorySortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    SORT_ORDER = "sort_order"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"


@strawberry.input
class CategorySort:
    field: CategorySortField
    direction: SortDirection = SortDirection.ASC


@strawberry.input(name="CategoryFilter")
class CategoryFilterInput:
    search: str | None = None
    enabled: bool | None = None
    parent_id: strawberry.ID | None = None
    roots_only: bool = strawberry.field(default=False, description="Only categories without a parent.")

    def domain(self) -> CategoryFilter:
        return CategoryFilter(
            search=self.search,
            enabled=self.enabled,
            parent_id=int_id("Category", self.parent_id) if self.parent_id is not None else None,
            roots_only=self.roots_only,
        )


@strawberry.input
class CategoryInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content_top: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    sort_order: int | None = strawberry.UNSET


@strawberry.type
class CategoryPayload(Payload):
    category: Category | None = None
    ai_jobs: list[Job] = strawberry.field(
        default_factory=list, description="The jobs the ai argument started (follow them with jobProgress)."
    )


IDS = {"parent_id": ("parent_id", "Category")}


@strawberry.type
class CategoryQuery:
    @strawberry.field
    async def category(self, info: Info, id: strawberry.ID) -> Category:
        return await Category.resolve_node(info, id)

    @strawberry.field(description=f"The workspace's categories (by sort order), at most {MAX_PAGE_SIZE} a page.")
    async def categories(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: CategoryFilterInput | None = None,
        sort: CategorySort | None = None,
    ) -> Connection[Category]:
        return await list_connection(
            info, CategoryService, Category.from_models, filter or CategoryFilterInput(), first, after, sort
        )

    @strawberry.field(description="The root categories; walk down through children.")
    async def category_tree(self, info: Info) -> list[Category]:
        roots, _ = await info.context.read(lambda s, p: CategoryService(s).tree(p))
        return [Category.from_model(node.category) for node in roots]


@strawberry.type
class CategoryMutation:
    @payload_mutation()
    async def create_category(
        self, info: Info, input: CategoryInput, ai: StoreAiInput | None = None
    ) -> CategoryPayload:
        await info.context.require(MANAGE)
        cmd = await parse_input(info, CategoryCommand, input, ids=IDS)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork, principal: Principal) -> tuple[models.Category, list[JobModel]]:
            category = await CategoryService(uow.session).create(principal, cmd)
            return category, await start_jobs(info, uow, principal, flags, entity="category", entity_id=category.id)

        category, jobs = await info.context.write(write)
        return CategoryPayload(category=Category.from_model(category), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation(description="A parent that is the category itself or one of its descendants is refused.")
    async def update_category(
        self, info: Info, id: strawberry.ID, input: CategoryInput, ai: StoreAiInput | None = None
    ) -> CategoryPayload:
        await info.context.require(MANAGE)
        category_id = int_id("Category", id)
        cmd = await parse_input(info, CategoryCommand, input, ids=IDS, partial=True, subject=category_id)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork, principal: Principal) -> tuple[models.Category, list[JobModel]]:
            category = await CategoryService(uow.session).update(principal, category_id, cmd)
            return category, await start_jobs(info, uow, principal, flags, entity="category", entity_id=category_id)

        category, jobs = await info.context.write(write)
        return CategoryPayload(category=Category.from_model(category), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation(description="Deletes the category; its children move up to its parent.")
    async def delete_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Category", id, CategoryService, permission=MANAGE)
