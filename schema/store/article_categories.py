"""Article categories: the type (with its parent and how many articles it files), the list, and the mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from domain.store.article_categories import ArticleCategoryService
from domain.store.commands import ARTICLE_CATEGORY_SORT, ArticleCategoryCommand, ArticleCategoryFilter
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, int_id, list_connection
from schema.types import Info

IDS = {"parent_id": ("parent_id", "ArticleCategory")}


@strawberry.enum
class ArticleCategorySortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    ENABLED = "enabled"
    SORT_ORDER = "sort_order"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ArticleCategorySort:
    field: ArticleCategorySortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="ArticleCategoryFilter")
class ArticleCategoryFilterInput:
    search: str | None = None
    enabled: bool | None = None
    parent_id: strawberry.ID | None = None
    roots_only: bool = False

    def domain(self) -> ArticleCategoryFilter:
        parent_id = int_id("ArticleCategory", self.parent_id) if self.parent_id else None
        return ArticleCategoryFilter(self.search, self.enabled, parent_id, self.roots_only)


@strawberry.type
class ArticleCategory(Node, FromModel):
    rest_id = "article_category_id"

    article_category_id: int = strawberry.field(description="The id the store REST API uses.")
    parent_id: int | None
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
    workspace_id: strawberry.Private[str]

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        view = await info.context.read(lambda s, p: ArticleCategoryService(s).get(p, int_id("ArticleCategory", raw_id)))
        return cls.from_model(view.category)

    @strawberry.field
    async def parent(self, info: Info) -> ArticleCategory | None:
        if self.parent_id is None:
            return None
        found = await info.context.loaders.store.article_category.load((self.workspace_id, self.parent_id))
        return ArticleCategory.from_model(found) if found else None

    @strawberry.field
    async def articles_count(self, info: Info) -> int:
        count: int = await info.context.loaders.store.articles_count.load((self.workspace_id, self.article_category_id))
        return count


@strawberry.input
class ArticleCategoryInput:
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
class ArticleCategoryPayload(Payload):
    article_category: ArticleCategory | None = None


@strawberry.type
class ArticleCategoryQuery:
    @strawberry.field(description="The store's article categories, newest first by default, at most 100 a page.")
    async def article_categories(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ArticleCategoryFilterInput | None = None,
        sort: ArticleCategorySort | None = None,
    ) -> Connection[ArticleCategory]:
        return await list_connection(
            info,
            ArticleCategoryService,
            lambda views: ArticleCategory.from_models(v.category for v in views),
            filter or ArticleCategoryFilterInput(),
            first,
            after,
            sort,
            ARTICLE_CATEGORY_SORT,
        )

    @strawberry.field
    async def article_category(self, info: Info, id: strawberry.ID) -> ArticleCategory:
        return await ArticleCategory.resolve_node(info, id)


@strawberry.type
class ArticleCategoryMutation:
    @payload_mutation()
    async def create_article_category(self, info: Info, input: ArticleCategoryInput) -> ArticleCategoryPayload:
        command = await parse_input(info, ArticleCategoryCommand, input, ids=IDS)
        view = await info.context.write(
            lambda uow, p: ArticleCategoryService(uow.session).create(p, command), retry_unique=True
        )
        return ArticleCategoryPayload(article_category=ArticleCategory.from_model(view.category))

    @payload_mutation()
    async def update_article_category(
        self, info: Info, id: strawberry.ID, input: ArticleCategoryInput
    ) -> ArticleCategoryPayload:
        principal = await info.context.principal()
        category_id = int_id("ArticleCategory", id)
        command = await parse_input(info, ArticleCategoryCommand, input, ids=IDS, partial=True, subject=category_id)
        view = await info.context.scope.write(
            lambda uow: ArticleCategoryService(uow.session).update(principal, category_id, command)
        )
        return ArticleCategoryPayload(article_category=ArticleCategory.from_model(view.category))

    @payload_mutation()
    async def delete_article_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "ArticleCategory", id, ArticleCategoryService)
