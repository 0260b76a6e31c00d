"""Articles: list (filters, sort), create, get (with its article categories), update, delete, fill empty
images; topic generation (AI) answers 501 until the AI operations arrive."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from starlette.responses import Response

from domain.paging import SortSpec
from domain.store.articles import ArticleService
from domain.store.commands import ARTICLE_SORT, ArticleCommand, ArticleFilter, ai_requested
from resolvers.rest.store.dialect import (
    BoolFilter,
    Data,
    IdFilter,
    IdPath,
    ListQuery,
    Paginated,
    TextFilter,
    data,
    no_content,
    not_implemented,
    paginated,
    refuse_ai_flags,
)
from resolvers.rest.store.store_json import ArticleJson, FilledJson, article_json
from resolvers.rest.surface import Call, Router

router = Router(tags=["articles"])
READ, MANAGE = "store.articles.read", "store.articles.manage"


class ArticleQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = ARTICLE_SORT

    search: TextFilter = Field(default=None, description="Part of the title, any case.")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1, true) or disabled (0, false) ones.")
    generated: BoolFilter = Field(default=None, description="Only generated or only hand-written ones.")
    article_category_id: IdFilter = Field(default=None, description="Only those filed under this category.")

    def filter(self) -> ArticleFilter:
        return ArticleFilter(self.search, self.enabled, self.generated, self.article_category_id)


@router.get("/articles", permission=READ, response=Paginated[ArticleJson])
async def list_articles(call: Call, query: ArticleQuery) -> Response:
    """The store's articles, newest first unless sorted otherwise."""
    principal = await call.principal()
    page = await call.scope.read(lambda s: ArticleService(s).page(principal, query.filter(), query.page_request()))
    return paginated(call, [article_json(a) for a in page.items], page)


@router.post("/articles", permission=MANAGE, response=Data[ArticleJson], status=201, responses={501: "AI flags"})
async def create_article(call: Call, body: ArticleCommand) -> Response:
    """Create an article; its slug is made from the title unless one is sent."""
    refuse_ai_flags(ai_requested(body))
    principal = await call.principal()
    view = await call.scope.write(lambda uow: ArticleService(uow.session).create(principal, body), retry_unique=True)
    return data(article_json(view.article, view.categories), status=201)


@router.post("/articles/generate-topics", responses={501: "Not available yet"})
async def generate_topics(call: Call) -> Response:
    """Generate article topics (AI): arrives with the AI-driven store operations."""
    raise not_implemented("Generating article topics (AI)")


@router.get("/articles/{id}", permission=READ, response=Data[ArticleJson])
async def get_article(call: Call, path: IdPath) -> Response:
    """One article, with its article categories."""
    principal = await call.principal()
    view = await call.scope.read(lambda s: ArticleService(s).get(principal, path.id))
    return data(article_json(view.article, view.categories))


@router.patch("/articles/{id}", permission=MANAGE, response=Data[ArticleJson], responses={501: "AI flags"})
async def update_article(call: Call, path: IdPath, body: ArticleCommand) -> Response:
    """Change the fields sent; the slug stays unless one is sent."""
    refuse_ai_flags(ai_requested(body))
    principal = await call.principal()
    view = await call.scope.write(lambda uow: ArticleService(uow.session).update(principal, path.id, body))
    return data(article_json(view.article, view.categories))


@router.delete("/articles/{id}", permission=MANAGE, status=204)
async def delete_article(call: Call, path: IdPath) -> Response:
    """Delete an article."""
    principal = await call.principal()
    await call.scope.write(lambda uow: ArticleService(uow.session).delete(principal, path.id))
    return no_content()


@router.post("/articles/{id}/fill-empty-images", permission=MANAGE, response=Data[FilledJson])
async def fill_empty_images(call: Call, path: IdPath) -> Response:
    """Copy the hero image into the empty listing and social image slots."""
    principal = await call.principal()
    filled = await call.scope.write(lambda uow: ArticleService(uow.session).fill_empty_images(principal, path.id))
    body: FilledJson = {"filled": filled}
    return data(body)
