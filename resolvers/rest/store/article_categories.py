"""Article categories: list (search, enabled, parent_id), create, get, update, delete; with articles_count."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field
from starlette.responses import Response

from domain.paging import SortSpec
from domain.store.article_categories import ArticleCategoryService
from domain.store.commands import ARTICLE_CATEGORY_SORT, ArticleCategoryCommand, ArticleCategoryFilter
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
from resolvers.rest.store.params import BoolFilter, IdPath, ListQuery, TextFilter, query_int
from resolvers.rest.store.store_json import ArticleCategoryJson, article_category_view_json
from resolvers.rest.surface import Call, Router

router = Router(tags=["article categories"])
READ, MANAGE = "store.articles.read", "store.articles.manage"
ROOTS = ""  # ``?parent_id=`` (empty): only the categories without a parent


def _parent(value: Any) -> int | str | None:
    return ROOTS if value == ROOTS else query_int(value)


class ArticleCategoryQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = ARTICLE_CATEGORY_SORT

    search: TextFilter = Field(default=None, description="Part of the title, any case.")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1, true) or disabled (0, false) ones.")
    parent_id: Annotated[int | str | None, BeforeValidator(_parent)] = Field(
        default=None, description="Only the children of this category; empty: only the top-level ones."
    )

    def filter(self) -> ArticleCategoryFilter:
        if self.parent_id == ROOTS:
            return ArticleCategoryFilter(self.search, self.enabled, roots_only=True)
        parent_id = self.parent_id if isinstance(self.parent_id, int) else None
        return ArticleCategoryFilter(self.search, self.enabled, parent_id)


@router.get("/article-categories", permission=READ, response=Paginated[ArticleCategoryJson])
async def list_article_categories(call: Call, query: ArticleCategoryQuery) -> Response:
    """The store's article categories, each with how many articles it files."""
    page = await call.read(lambda s, p: ArticleCategoryService(s).page(p, query.filter(), query.page_request()))
    return paginated(call, page, article_category_view_json)


@router.post("/article-categories", permission=MANAGE, response=Data[ArticleCategoryJson], status=201)
async def create_article_category(call: Call, body: ArticleCategoryCommand) -> Response:
    """Create an article category; its slug is made from the title unless one is sent."""
    view = await call.write(lambda uow, p: ArticleCategoryService(uow.session).create(p, body), retry_unique=True)
    return data(article_category_view_json(view), status=201)


@router.get("/article-categories/{id}", permission=READ, response=Data[ArticleCategoryJson])
async def get_article_category(call: Call, path: IdPath) -> Response:
    """One article category."""
    view = await call.read(lambda s, p: ArticleCategoryService(s).get(p, path.id))
    return data(article_category_view_json(view))


@router.patch("/article-categories/{id}", permission=MANAGE, response=Data[ArticleCategoryJson])
async def update_article_category(call: Call, path: IdPath, body: ArticleCategoryCommand) -> Response:
    """Change the fields sent; a category is never its own ancestor."""
    view = await call.write(lambda uow, p: ArticleCategoryService(uow.session).update(p, path.id, body))
    return data(article_category_view_json(view))


@router.delete("/article-categories/{id}", permission=MANAGE, status=204)
async def delete_article_category(call: Call, path: IdPath) -> Response:
    """Delete an article category; its children become top-level ones, its articles stay."""
    await call.write(lambda uow, p: ArticleCategoryService(uow.session).delete(p, path.id))
    return no_content()
