"""Articles: list (filters, sort), create, get (with its article categories), update, delete, fill empty
images; topic generation (AI) answers 501 until the AI operations arrive."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from starlette.responses import Response

from domain.paging import SortSpec
from domain.store.articles import ArticleService
from domain.store.commands import ARTICLE_SORT, ArticleCommand, ArticleFilter
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, not_implemented, paginated, refuse_ai_flags
from resolvers.rest.store.params import BoolFilter, IdFilter, IdPath, ListQuery, TextFilter
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
    page = await call.read(lambda s, p: ArticleService(s).page(p, query.filter(), query.page_request()))
    return paginated(call, page, article_json)


@router.post("/articles", permission=MANAGE, response=Data[ArticleJson], status=201, responses={501: "AI flags"})
async def create_article(call: Call, body: ArticleCommand) -> Response:
    """Create an article; its slug is made from the title unless one is sent."""
    refuse_ai_flags(body)
    view = await call.write(lambda uow, p: ArticleService(uow.session).create(p, body), retry_unique=True)
    return data(article_json(view.article, view.categories), status=201)


@router.post("/articles/generate-topics", responses={501: "Not available yet"})
async def generate_topics(call: Call) -> Response:
    """Generate article topics (AI): arrives with the AI-driven store operations."""
    raise not_implemented("Generating article topics (AI)")


@router.get("/articles/{id}", permission=READ, response=Data[ArticleJson])
async def get_article(call: Call, path: IdPath) -> Response:
    """One article, with its article categories."""
    view = await call.read(lambda s, p: ArticleService(s).get(p, path.id))
    return data(article_json(view.article, view.categories))


@router.patch("/articles/{id}", permission=MANAGE, response=Data[ArticleJson], responses={501: "AI flags"})
async def update_article(call: Call, path: IdPath, body: ArticleCommand) -> Response:
    """Change the fields sent; the slug stays unless one is sent."""
    refuse_ai_flags(body)
    view = await call.write(lambda uow, p: ArticleService(uow.session).update(p, path.id, body))
    return data(article_json(view.article, view.categories))


@router.delete("/articles/{id}", permission=MANAGE, status=204)
async def delete_article(call: Call, path: IdPath) -> Response:
    """Delete an article."""
    await call.write(lambda uow, p: ArticleService(uow.session).delete(p, path.id))
    return no_content()


@router.post("/articles/{id}/fill-empty-images", permission=MANAGE, response=Data[FilledJson])
async def fill_empty_images(call: Call, path: IdPath) -> Response:
    """Copy the hero image into the empty listing and social image slots."""
    filled = await call.write(lambda uow, p: ArticleService(uow.session).fill_empty_images(p, path.id))
    body: FilledJson = {"filled": filled}
    return data(body)
