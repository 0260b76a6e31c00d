"""Articles: the type (with its article categories), the list, and the mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.jobs.models import Job as JobModel
from domain.store.articles import ArticleService, ArticleView
from domain.store.commands import ARTICLE_SORT, ArticleCommand, ArticleFilter
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.jobs import Job
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, int_id, list_connection
from schema.store.article_categories import ArticleCategory
from schema.store_ai import StoreAiInput, parse_ai, start_jobs
from schema.types import Info

# Input field → (command field, type of its global ids); userErrors name the input field again.
IDS = {
    "product_category_id": ("product_category_id", "Category"),
    "article_category_ids": ("article_categories", "ArticleCategory"),
}
RENAMES = {"article_categories": "articleCategoryIds"}


@strawberry.enum
class ArticleSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    ENABLED = "enabled"
    GENERATED = "generated"
    PUBLISHED_AT = "published_at"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ArticleSort:
    field: ArticleSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="ArticleFilter")
class ArticleFilterInput:
    search: str | None = None
    enabled: bool | None = None
    generated: bool | None = None
    article_category_id: strawberry.ID | None = None

    def domain(self) -> ArticleFilter:
        category_id = int_id("ArticleCategory", self.article_category_id) if self.article_category_id else None
        return ArticleFilter(self.search, self.enabled, self.generated, category_id)


@strawberry.type
class Article(Node, FromModel):
    rest_id = "article_id"

    article_id: int = strawberry.field(description="The id the store REST API uses.")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    generated: bool
    published_at: datetime | None
    product_category_id: int | None
    hero_image_url: str | None
    listing_image_url: str | None
    social_image_url: str | None
    created_at: datetime
    updated_at: datetime
    workspace_id: strawberry.Private[str]

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        view = await info.context.read(lambda s, p: ArticleService(s).get(p, int_id("Article", raw_id)))
        return cls.from_model(view.article)

    @strawberry.field
    async def categories(self, info: Info) -> list[ArticleCategory]:
        rows = await info.context.loaders.store.article_categories.load((self.workspace_id, self.article_id))
        return [ArticleCategory.from_model(c) for c in rows]


@strawberry.input
class ArticleInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    published_at: datetime | None = strawberry.UNSET
    product_category_id: strawberry.ID | None = strawberry.UNSET
    article_category_ids: list[strawberry.ID] | None = strawberry.UNSET
    hero_image_url: str | None = strawberry.UNSET
    listing_image_url: str | None = strawberry.UNSET
    social_image_url: str | None = strawberry.UNSET


@strawberry.type
class ArticlePayload(Payload):
    article: Article | None = None
    ai_jobs: list[Job] = strawberry.field(
        default_factory=list, description="The jobs the ai argument started (follow them with jobProgress)."
    )


@strawberry.type
class ArticleQuery:
    @strawberry.field(description="The store's articles, newest first by default, at most 100 a page.")
    async def articles(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ArticleFilterInput | None = None,
        sort: ArticleSort | None = None,
    ) -> Connection[Article]:
        return await list_connection(
            info, ArticleService, Article.from_models, filter or ArticleFilterInput(), first, after, sort, ARTICLE_SORT
        )

    @strawberry.field
    async def article(self, info: Info, id: strawberry.ID) -> Article:
        return await Article.resolve_node(info, id)


@strawberry.type
class ArticleMutation:
    @payload_mutation(renames=RENAMES)
    async def create_article(self, info: Info, input: ArticleInput, ai: StoreAiInput | None = None) -> ArticlePayload:
        command = await parse_input(info, ArticleCommand, input, ids=IDS)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork, principal: Principal) -> tuple[ArticleView, list[JobModel]]:
            view = await ArticleService(uow.session).create(principal, command)
            return view, await start_jobs(info, uow, principal, flags, entity="article", entity_id=view.article.id)

        view, jobs = await info.context.write(write, retry_unique=True)
        return ArticlePayload(article=Article.from_model(view.article), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation(renames=RENAMES)
    async def update_article(
        self, info: Info, id: strawberry.ID, input: ArticleInput, ai: StoreAiInput | None = None
    ) -> ArticlePayload:
        principal = await info.context.principal()
        article_id = int_id("Article", id)
        command = await parse_input(info, ArticleCommand, input, ids=IDS, partial=True, subject=article_id)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork) -> tuple[ArticleView, list[JobModel]]:
            view = await ArticleService(uow.session).update(principal, article_id, command)
            return view, await start_jobs(info, uow, principal, flags, entity="article", entity_id=article_id)

        view, jobs = await info.context.scope.write(write)
        return ArticlePayload(article=Article.from_model(view.article), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation()
    async def delete_article(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Article", id, ArticleService)
