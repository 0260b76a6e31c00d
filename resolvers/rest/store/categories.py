"""Store API categories: ``/api/categories``, the tree and the category's products."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.catalog.commands import CategoryCommand, CategoryFilter
from domain.catalog.models import Category
from domain.catalog.rules import CATEGORY_SORT
from domain.catalog.taxonomy import CategoryService
from domain.db import UnitOfWork
from domain.paging import SortSpec
from domain.store.ai_flags import QueuedWork, start_ai_jobs
from domain.store.commands import AI_FLAGS, ImageSlots, ImageSource
from domain.validation import LaxBool
from resolvers.rest.store.ai_flags import DataWithJobs, ai_env, ai_request, answer
from resolvers.rest.store.catalog_json import (
    CategoryTreeJson,
    CountedCategoryJson,
    ProductJson,
    counted_category_json,
    product_page,
    tree_json,
)
from resolvers.rest.store.dialect import (
    Data,
    Paginated,
    data,
    no_content,
    paginated,
)
from resolvers.rest.store.params import BoolFilter, IdPath, ListQuery, ProductsQuery, TextFilter, query_int
from resolvers.rest.surface import Call, Router

router = Router(tags=["categories"])


async def _category(session: AsyncSession, principal: Principal, path: IdPath) -> object:
    """The category a path names, looked up before the body is read (a missing one answers 404 first)."""
    return await CategoryService(session).get(principal, path.id)


READ = "store.categories.read"
MANAGE = "store.categories.manage"


def _parent(value: object) -> int | Literal[""] | None:
    return "" if value == "" else query_int(value)


class CategoryListQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = CATEGORY_SORT

    search: TextFilter = Field(default=None, description="Only categories whose title contains this (any case).")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1/true) or disabled (0/false) categories.")
    parent_id: Annotated[int | Literal[""] | None, BeforeValidator(_parent)] = Field(
        default=None, description="Only the children of this category; empty: only root categories."
    )

    def filter(self) -> CategoryFilter:
        parent = self.parent_id
        return CategoryFilter(
            search=self.search,
            enabled=self.enabled,
            parent_id=parent if isinstance(parent, int) else None,
            roots_only=parent == "",
        )


class CategoryBody(CategoryCommand):
    """A category as the store API writes it, with the document's AI flags: each starts its job in the write's
    transaction (``resolvers.rest.store.ai_flags``)."""

    generate_ai_content: LaxBool = False
    generate_images: ImageSlots = False
    image_source: ImageSource | None = None

    def command(self) -> CategoryCommand:
        """The category's own fields, as sent."""
        sent = self.model_fields_set - set(AI_FLAGS)
        return CategoryCommand.model_construct(
            sent, **{name: getattr(self, name) for name in CategoryCommand.model_fields}
        )


async def _with_counts(svc: CategoryService, principal: Principal, category: Category) -> CountedCategoryJson:
    return counted_category_json(category, await svc.counts(principal, [category.id]))


@router.get("/categories/tree", permission=READ, response=Data[list[CategoryTreeJson]])
async def category_tree(call: Call) -> Response:
    """The whole tree: root categories (by sort order), each with its children, with counts."""
    roots, counts = await call.read(lambda s, p: CategoryService(s).tree(p))
    return data([tree_json(node, counts) for node in roots])


@router.get("/categories", permission=READ, response=Paginated[CountedCategoryJson])
async def list_categories(call: Call, query: CategoryListQuery) -> Response:
    """The store's categories (by sort order by default), with their counts."""
    request = query.page_request()

    async def read(session: AsyncSession, principal: Principal) -> Response:
        svc = CategoryService(session)
        page = await svc.page(principal, query.filter(), request)
        counts = await svc.counts(principal, [c.id for c in page.items])
        return paginated(call, page, lambda c: counted_category_json(c, counts))

    return await call.read(read)


@router.post(
    "/categories",
    permission=MANAGE,
    status=201,
    response=DataWithJobs[CountedCategoryJson],
    responses={402: "The AI flags' jobs cost more credits than the workspace has"},
)
async def create_category(call: Call, body: CategoryBody) -> Response:
    """Create a category; its slug is made from the title unless one is given. ``generate_ai_content`` and
    ``generate_images`` start their jobs with it (listed in ``meta.ai_jobs``)."""
    request, env = ai_request(body, fields=list(CategoryCommand.model_fields)), ai_env(call)

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[CountedCategoryJson, list[QueuedWork]]:
        svc = CategoryService(uow.session)
        category = await svc.create(principal, body.command())
        jobs = await start_ai_jobs(uow, principal, entity="category", entity_id=category.id, request=request, env=env)
        return await _with_counts(svc, principal, category), jobs

    return answer(*await call.write(write), status=201)


@router.get("/categories/{id}", permission=READ, response=Data[CountedCategoryJson])
async def get_category(call: Call, path: IdPath) -> Response:
    """One category, with its counts."""

    async def read(session: AsyncSession, principal: Principal) -> CountedCategoryJson:
        svc = CategoryService(session)
        return await _with_counts(svc, principal, await svc.get(principal, path.id))

    return data(await call.read(read))


@router.patch(
    "/categories/{id}",
    permission=MANAGE,
    response=DataWithJobs[CountedCategoryJson],
    responses={402: "The AI flags' jobs cost more credits than the workspace has"},
    lookup=_category,
)
async def update_category(call: Call, path: IdPath, body: CategoryBody) -> Response:
    """Change the fields sent; the others keep their values. A parent that is the category itself or one of its
    descendants is refused. The AI flags start their jobs as on create."""
    request, env = ai_request(body, fields=list(CategoryCommand.model_fields)), ai_env(call)

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[CountedCategoryJson, list[QueuedWork]]:
        svc = CategoryService(uow.session)
        category = await svc.update(principal, path.id, body.command())
        jobs = await start_ai_jobs(uow, principal, entity="category", entity_id=path.id, request=request, env=env)
        return await _with_counts(svc, principal, category), jobs

    return answer(*await call.write(write))


@router.delete("/categories/{id}", permission=MANAGE, status=204)
async def delete_category(call: Call, path: IdPath) -> Response:
    """Delete the category and its product links; its children move up to its parent."""
    await call.write(lambda uow, p: CategoryService(uow.session).delete(p, path.id))
    return no_content()


@router.get("/categories/{id}/products", permission=READ, response=Paginated[ProductJson])
async def category_products(call: Call, path: IdPath, query: ProductsQuery) -> Response:
    """The category's products (newest first by default)."""
    request = query.page_request()
    return await product_page(call, lambda s, p: CategoryService(s).products(p, path.id, request), query.include)
