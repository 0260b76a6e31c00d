"""Articles: list (filters, sort), create, get (with its article categories), update, delete, fill empty
images; topic generation (AI) answers 501 until the AI operations arrive."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.paging import SortSpec
from domain.store.ai_flags import QueuedWork, start_ai_jobs
from domain.store.articles import ArticleService, ArticleView
from domain.store.commands import ARTICLE_SORT, ArticleCommand, ArticleFilter
from resolvers.rest.store.ai_flags import DataWithJobs, ai_env, ai_request, answer
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
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


@router.post(
    "/articles", permission=MANAGE, response=DataWithJobs[ArticleJson], status=201, responses={402: "AI credits"}
)
async def create_article(call: Call, body: ArticleCommand) -> Response:
    """Create an article; its slug is made from the title unless one is sent. ``generate_ai_content`` (with
    ``generate_seo_keyword``) and ``generate_images`` start their jobs with it (listed in ``meta.ai_jobs``)."""
    request, env = ai_request(body, fields=list(ArticleCommand.model_fields)), ai_env(call)

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[ArticleView, list[QueuedWork]]:
        view = await ArticleService(uow.session).create(principal, body)
        jobs = await start_ai_jobs(
            uow, principal, entity="article", entity_id=view.article.id, request=request, env=env
        )
        return view, jobs

    view, jobs = await call.write(write, retry_unique=True)
    return answer(article_json(view.article, view.categories), jobs, status=201)


@router.get("/articles/{id}", permission=READ, response=Data[ArticleJson])
async def get_article(call: Call, path: IdPath) -> Response:
    """One article, with its article categories."""
    view = await call.read(lambda s, p: ArticleService(s).get(p, path.id))
    return data(article_json(view.article, view.categories))


@router.patch("/articles/{id}", permission=MANAGE, response=DataWithJobs[ArticleJson], responses={402: "AI credits"})
async def update_article(call: Call, path: IdPath, body: ArticleCommand) -> Response:
    """Change the fields sent; the slug stays unless one is sent. The AI flags start their jobs as on create."""
    request, env = ai_request(body, fields=list(ArticleCommand.model_fields)), ai_env(call)

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[ArticleView, list[QueuedWork]]:
        view = await ArticleService(uow.session).update(principal, path.id, body)
        jobs = await start_ai_jobs(uow, principal, entity="article", entity_id=path.id, request=request, env=env)
        return view, jobs

    view, jobs = await call.write(write)
    return answer(article_json(view.article, view.categories), jobs)


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
