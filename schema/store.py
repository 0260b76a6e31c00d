"""The store's content, settings and users: articles, article categories, pages, store users, settings."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from domain.accounts.principal import Principal
from domain.errors import InvalidInput, NotFound
from domain.store import models
from domain.store.content import ArticleCategoryView, ListParams
from domain.store.users import StoreUser as StoreUserModel
from resolvers import store as store_resolvers
from resolvers.context import AppServices
from resolvers.graphql import Context

# SortDirection and DeletePayload are shared with the catalog: one enum, one payload shape.
from schema.catalog_types import DeletePayload, SortDirection
from schema.errors import UserError, attempt, call, camel_field
from schema.node import Node, int_id, node_resolver, to_global_id
from schema.paging import MAX_PAGE, decode_offset, encode_offset, offset_page_info
from schema.relay import PageInfo

Info = strawberry.Info[Context, None]

T = TypeVar("T")


# --- ids, cursors and inputs ------------------------------------------------------------------------------


def window(first: int, after: str | None) -> tuple[int, int]:
    if first < 1 or first > MAX_PAGE:
        raise InvalidInput.field("first", f"first must be between 1 and {MAX_PAGE}.")
    if after is None:
        return 0, first
    position = decode_offset(after)
    if position is None:
        raise InvalidInput.field("after", "Invalid cursor.")
    return position + 1, first


def body_of(data: Any, ids: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields an input sets (UNSET ones left out), as the store rules' snake_case body.

    ``ids`` names id fields that take global ids: field → type name (lists of ids too)."""
    ids = ids or {}
    body: dict[str, Any] = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if value is strawberry.UNSET:
            continue
        if f.name in ids and value is not None:
            value = [int_id(ids[f.name], v) for v in value] if isinstance(value, list) else int_id(ids[f.name], value)
        if isinstance(value, datetime):
            value = value.isoformat()
        body[f.name] = value
    return body


# The GraphQL input names of the body keys that differ from their REST name by more than camelCase.
_GRAPHQL_FIELDS = {"article_categories": "articleCategoryIds"}


def graphql_field(field: str | None) -> str | None:
    """A userError names the GraphQL input field (``parentId``, ``articleCategoryIds``), as the catalog's do;
    the domain speaks the REST body's names (``parent_id``, ``article_categories``)."""
    if field is None:
        return None
    head, dot, rest = field.partition(".")
    return (_GRAPHQL_FIELDS.get(head) or camel_field(head) or head) + dot + rest


# --- types ------------------------------------------------------------------------------------------------


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


@strawberry.enum
class ArticleCategorySortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    ENABLED = "enabled"
    SORT_ORDER = "sort_order"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum
class PageSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    KEY = "key"
    ENABLED = "enabled"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.type
class ArticleCategory(Node):
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

    @classmethod
    def from_model(cls, c: models.ArticleCategory) -> ArticleCategory:
        return cls(
            id=to_global_id("ArticleCategory", c.id),
            article_category_id=c.id,
            parent_id=c.parent_id,
            slug=c.slug,
            title=c.title,
            subtitle=c.subtitle,
            link_title=c.link_title,
            content_top=c.content_top,
            content_bottom=c.content_bottom,
            meta_title=c.meta_title,
            meta_keywords=c.meta_keywords,
            meta_description=c.meta_description,
            enabled=c.enabled,
            sort_order=c.sort_order,
            created_at=c.created_at,
            updated_at=c.updated_at,
            workspace_id=c.workspace_id,
        )


@strawberry.type
class Article(Node):
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

    @strawberry.field
    async def categories(self, info: Info) -> list[ArticleCategory]:
        rows = await info.context.loaders.store.article_categories.load((self.workspace_id, self.article_id))
        return [ArticleCategory.from_model(c) for c in rows]

    @classmethod
    def from_model(cls, a: models.Article) -> Article:
        return cls(
            id=to_global_id("Article", a.id),
            article_id=a.id,
            slug=a.slug,
            title=a.title,
            subtitle=a.subtitle,
            link_title=a.link_title,
            content=a.content,
            meta_title=a.meta_title,
            meta_keywords=a.meta_keywords,
            meta_description=a.meta_description,
            enabled=a.enabled,
            generated=a.generated,
            published_at=a.published_at,
            product_category_id=a.product_category_id,
            hero_image_url=a.hero_image_url,
            listing_image_url=a.listing_image_url,
            social_image_url=a.social_image_url,
            created_at=a.created_at,
            updated_at=a.updated_at,
            workspace_id=a.workspace_id,
        )


@strawberry.type
class Page(Node):
    page_id: int = strawberry.field(description="The id the store REST API uses.")
    key: str | None = strawberry.field(description="Stable identifier of a system page (homepage, about...).")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, p: models.Page) -> Page:
        return cls(
            id=to_global_id("Page", p.id),
            page_id=p.id,
            key=p.key,
            slug=p.slug,
            title=p.title,
            subtitle=p.subtitle,
            link_title=p.link_title,
            content=p.content,
            meta_title=p.meta_title,
            meta_keywords=p.meta_keywords,
            meta_description=p.meta_description,
            enabled=p.enabled,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


@strawberry.type(description="A user of the store: a member of the workspace, with their role.")
class StoreUser(Node):
    user_id: int
    email: str
    first_name: str | None
    last_name: str | None
    roles: list[str]
    newsletter: bool
    deleted: bool
    created_at: datetime

    @classmethod
    def from_model(cls, m: StoreUserModel) -> StoreUser:
        return cls(
            id=to_global_id("StoreUser", m.user.id),
            user_id=m.user.id,
            email=m.user.email,
            first_name=m.user.first_name,
            last_name=m.user.last_name,
            roles=m.roles,
            newsletter=m.membership.newsletter,
            deleted=m.membership.deleted_at is not None,
            created_at=m.membership.created_at,
        )


@strawberry.type(description="Store settings: flat {group}_{setting} keys, or one group's keys unprefixed.")
class StoreSettings:
    group: str | None
    values: JSON


@strawberry.type
class ArticleEdge:
    cursor: str
    node: Article


@strawberry.type
class ArticleConnection:
    edges: list[ArticleEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class ArticleCategoryEdge:
    cursor: str
    node: ArticleCategory


@strawberry.type
class ArticleCategoryConnection:
    edges: list[ArticleCategoryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class PageEdge:
    cursor: str
    node: Page


@strawberry.type
class PageConnection:
    edges: list[PageEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class StoreUserEdge:
    cursor: str
    node: StoreUser


@strawberry.type
class StoreUserConnection:
    edges: list[StoreUserEdge]
    page_info: PageInfo
    total_count: int


# --- filters and inputs -----------------------------------------------------------------------------------


@strawberry.input
class ArticleFilter:
    search: str | None = None
    enabled: bool | None = None
    generated: bool | None = None
    article_category_id: strawberry.ID | None = None


@strawberry.input
class ArticleCategoryFilter:
    search: str | None = None
    enabled: bool | None = None
    parent_id: strawberry.ID | None = None
    roots_only: bool = False


@strawberry.input
class PageFilter:
    search: str | None = None
    enabled: bool | None = None
    key: str | None = None


def _filters(values: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


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


def article_body(data: ArticleInput) -> dict[str, Any]:
    body = body_of(data, {"article_category_ids": "ArticleCategory", "product_category_id": "Category"})
    if "article_category_ids" in body:
        body["article_categories"] = body.pop("article_category_ids")
    return body


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


@strawberry.input
class PageInput:
    title: str | None = strawberry.UNSET
    key: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class CreateStoreUserInput:
    email: str
    password: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    roles: list[str] | None = strawberry.UNSET
    newsletter: bool | None = strawberry.UNSET


@strawberry.input
class UpdateStoreUserInput:
    email: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    newsletter: bool | None = strawberry.UNSET


@strawberry.type
class ArticlePayload:
    article: Article | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticleCategoryPayload:
    article_category: ArticleCategory | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PagePayload:
    page: Page | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StoreUserPayload:
    user: StoreUser | None = None
    created: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StoreSettingsPayload:
    settings: StoreSettings | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


# --- root fields ------------------------------------------------------------------------------------------


@strawberry.type
class StoreQuery:
    @strawberry.field(description=f"The store's articles, newest first by default, at most {MAX_PAGE} a page.")
    async def articles(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ArticleFilter | None = None,
        sort_by: ArticleSortField = ArticleSortField.CREATED_AT,
        sort_dir: SortDirection = SortDirection.DESC,
    ) -> ArticleConnection:
        p = await call(info.context.principal)
        f = filter or ArticleFilter()

        async def run() -> tuple[int, list[models.Article], int]:
            offset, limit = window(first, after)
            category = int_id("ArticleCategory", f.article_category_id) if f.article_category_id else None
            params = ListParams(
                per_page=limit,
                offset=offset,
                sort_by=sort_by.value,
                sort_dir=sort_dir.value,
                filters=_filters(
                    {
                        "search": f.search,
                        "enabled": f.enabled,
                        "generated": f.generated,
                        "article_category_id": category,
                    }
                ),
            )
            rows, total = await store_resolvers.list_articles(info.context.services, p, params)
            return offset, rows, total

        offset, rows, total = await call(run)
        edges = [ArticleEdge(cursor=encode_offset(offset + i), node=Article.from_model(a)) for i, a in enumerate(rows)]
        return ArticleConnection(edges=edges, page_info=offset_page_info(offset, len(rows), total), total_count=total)

    @strawberry.field
    async def article(self, info: Info, id: strawberry.ID) -> Article:
        p = await call(info.context.principal)
        view = await call(lambda: store_resolvers.get_article(info.context.services, p, int_id("Article", id)))
        return Article.from_model(view.article)

    @strawberry.field(description=f"The store's article categories, at most {MAX_PAGE} a page.")
    async def article_categories(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ArticleCategoryFilter | None = None,
        sort_by: ArticleCategorySortField = ArticleCategorySortField.CREATED_AT,
        sort_dir: SortDirection = SortDirection.DESC,
    ) -> ArticleCategoryConnection:
        p = await call(info.context.principal)
        f = filter or ArticleCategoryFilter()

        async def run() -> tuple[int, list[ArticleCategoryView], int]:
            offset, limit = window(first, after)
            filters = _filters({"search": f.search, "enabled": f.enabled})
            if f.roots_only:
                filters["parent_id"] = ""
            elif f.parent_id:
                filters["parent_id"] = str(int_id("ArticleCategory", f.parent_id))
            params = ListParams(
                per_page=limit, offset=offset, sort_by=sort_by.value, sort_dir=sort_dir.value, filters=filters
            )
            rows, total = await store_resolvers.list_article_categories(info.context.services, p, params)
            return offset, rows, total

        offset, rows, total = await call(run)
        edges = [
            ArticleCategoryEdge(cursor=encode_offset(offset + i), node=ArticleCategory.from_model(v.category))
            for i, v in enumerate(rows)
        ]
        return ArticleCategoryConnection(
            edges=edges, page_info=offset_page_info(offset, len(rows), total), total_count=total
        )

    @strawberry.field
    async def article_category(self, info: Info, id: strawberry.ID) -> ArticleCategory:
        p = await call(info.context.principal)
        view = await call(
            lambda: store_resolvers.get_article_category(info.context.services, p, int_id("ArticleCategory", id))
        )
        return ArticleCategory.from_model(view.category)

    @strawberry.field(description=f"The store's pages (the homepage page always exists), at most {MAX_PAGE} a page.")
    async def pages(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: PageFilter | None = None,
        sort_by: PageSortField = PageSortField.CREATED_AT,
        sort_dir: SortDirection = SortDirection.DESC,
    ) -> PageConnection:
        p = await call(info.context.principal)
        f = filter or PageFilter()

        async def run() -> tuple[int, list[models.Page], int]:
            offset, limit = window(first, after)
            params = ListParams(
                per_page=limit,
                offset=offset,
                sort_by=sort_by.value,
                sort_dir=sort_dir.value,
                filters=_filters({"search": f.search, "enabled": f.enabled, "key": f.key}),
            )
            rows, total = await store_resolvers.list_pages(info.context.services, p, params)
            return offset, rows, total

        offset, rows, total = await call(run)
        edges = [PageEdge(cursor=encode_offset(offset + i), node=Page.from_model(r)) for i, r in enumerate(rows)]
        return PageConnection(edges=edges, page_info=offset_page_info(offset, len(rows), total), total_count=total)

    @strawberry.field
    async def page(self, info: Info, id: strawberry.ID) -> Page:
        p = await call(info.context.principal)
        return Page.from_model(
            await call(lambda: store_resolvers.get_page(info.context.services, p, int_id("Page", id)))
        )

    @strawberry.field(description="The store's users (the workspace's members), by id.")
    async def store_users(self, info: Info, first: int = 20, after: str | None = None) -> StoreUserConnection:
        p = await call(info.context.principal)

        async def run() -> tuple[int, list[StoreUserModel], int]:
            offset, limit = window(first, after)
            # Users are listed by page; a cursor's offset maps onto whole pages of ``first``.
            if offset % limit:
                raise InvalidInput.field("after", "This cursor belongs to a page of another size.")
            rows, total = await store_resolvers.list_users(info.context.services, p, offset // limit + 1, limit)
            return offset, rows, total

        offset, rows, total = await call(run)
        edges = [
            StoreUserEdge(cursor=encode_offset(offset + i), node=StoreUser.from_model(u)) for i, u in enumerate(rows)
        ]
        return StoreUserConnection(edges=edges, page_info=offset_page_info(offset, len(rows), total), total_count=total)

    @strawberry.field
    async def store_user(self, info: Info, id: strawberry.ID) -> StoreUser:
        p = await call(info.context.principal)
        return StoreUser.from_model(
            await call(lambda: store_resolvers.get_user(info.context.services, p, int_id("StoreUser", id)))
        )

    @strawberry.field(description="All settings as flat {group}_{setting} keys, or one group's keys unprefixed.")
    async def store_settings(self, info: Info, group: str | None = None) -> StoreSettings:
        p = await call(info.context.principal)
        services = info.context.services
        if group is None:
            values = await call(lambda: store_resolvers.all_settings(services, p))
        else:
            values = await call(lambda: store_resolvers.group_settings(services, p, group))
        return StoreSettings(group=group, values=cast(JSON, values))


@strawberry.type
class StoreMutation:
    @strawberry.mutation
    async def create_article(self, info: Info, input: ArticleInput) -> ArticlePayload:
        p = await call(info.context.principal)
        view, errors = await attempt(
            lambda: store_resolvers.create_article(info.context.services, p, article_body(input)),
            field_name=graphql_field,
        )
        return ArticlePayload(article=Article.from_model(view.article) if view else None, user_errors=errors)

    @strawberry.mutation
    async def update_article(self, info: Info, id: strawberry.ID, input: ArticleInput) -> ArticlePayload:
        p = await call(info.context.principal)
        view, errors = await attempt(
            lambda: store_resolvers.update_article(
                info.context.services, p, int_id("Article", id), article_body(input)
            ),
            field_name=graphql_field,
        )
        return ArticlePayload(article=Article.from_model(view.article) if view else None, user_errors=errors)

    @strawberry.mutation
    async def delete_article(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            article_id = int_id("Article", id)
            await store_resolvers.delete_article(info.context.services, p, article_id)
            return to_global_id("Article", article_id)

        deleted, errors = await attempt(run, field_name=graphql_field)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation
    async def create_article_category(self, info: Info, input: ArticleCategoryInput) -> ArticleCategoryPayload:
        p = await call(info.context.principal)
        view, errors = await attempt(
            lambda: store_resolvers.create_article_category(
                info.context.services, p, body_of(input, {"parent_id": "ArticleCategory"})
            ),
            field_name=graphql_field,
        )
        return ArticleCategoryPayload(
            article_category=ArticleCategory.from_model(view.category) if view else None, user_errors=errors
        )

    @strawberry.mutation
    async def update_article_category(
        self, info: Info, id: strawberry.ID, input: ArticleCategoryInput
    ) -> ArticleCategoryPayload:
        p = await call(info.context.principal)
        view, errors = await attempt(
            lambda: store_resolvers.update_article_category(
                info.context.services,
                p,
                int_id("ArticleCategory", id),
                body_of(input, {"parent_id": "ArticleCategory"}),
            ),
            field_name=graphql_field,
        )
        return ArticleCategoryPayload(
            article_category=ArticleCategory.from_model(view.category) if view else None, user_errors=errors
        )

    @strawberry.mutation
    async def delete_article_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            category_id = int_id("ArticleCategory", id)
            await store_resolvers.delete_article_category(info.context.services, p, category_id)
            return to_global_id("ArticleCategory", category_id)

        deleted, errors = await attempt(run, field_name=graphql_field)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation
    async def create_page(self, info: Info, input: PageInput) -> PagePayload:
        p = await call(info.context.principal)
        page, errors = await attempt(
            lambda: store_resolvers.create_page(info.context.services, p, body_of(input)), field_name=graphql_field
        )
        return PagePayload(page=Page.from_model(page) if page else None, user_errors=errors)

    @strawberry.mutation
    async def update_page(self, info: Info, id: strawberry.ID, input: PageInput) -> PagePayload:
        p = await call(info.context.principal)
        page, errors = await attempt(
            lambda: store_resolvers.update_page(info.context.services, p, int_id("Page", id), body_of(input)),
            field_name=graphql_field,
        )
        return PagePayload(page=Page.from_model(page) if page else None, user_errors=errors)

    @strawberry.mutation
    async def delete_page(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            page_id = int_id("Page", id)
            await store_resolvers.delete_page(info.context.services, p, page_id)
            return to_global_id("Page", page_id)

        deleted, errors = await attempt(run, field_name=graphql_field)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation(description="Add a user to the store; a known email returns the existing user.")
    async def create_store_user(self, info: Info, input: CreateStoreUserInput) -> StoreUserPayload:
        p = await call(info.context.principal)
        member, errors = await attempt(
            lambda: store_resolvers.create_user(info.context.services, p, body_of(input)), field_name=graphql_field
        )
        return StoreUserPayload(
            user=StoreUser.from_model(member) if member else None,
            created=bool(member and member.created),
            user_errors=errors,
        )

    @strawberry.mutation
    async def update_store_user(self, info: Info, id: strawberry.ID, input: UpdateStoreUserInput) -> StoreUserPayload:
        p = await call(info.context.principal)
        member, errors = await attempt(
            lambda: store_resolvers.update_user(info.context.services, p, int_id("StoreUser", id), body_of(input)),
            field_name=graphql_field,
        )
        return StoreUserPayload(user=StoreUser.from_model(member) if member else None, user_errors=errors)

    @strawberry.mutation(description="Save settings: flat {group}_{setting} keys, or a group's unprefixed keys.")
    async def update_store_settings(self, info: Info, values: JSON, group: str | None = None) -> StoreSettingsPayload:
        p = await call(info.context.principal)
        services = info.context.services

        async def run() -> dict[str, Any]:
            if not isinstance(values, dict):
                raise InvalidInput.field("values", "values must be a JSON object.")
            if group is None:
                return await store_resolvers.update_settings(services, p, values)
            return await store_resolvers.update_group_settings(services, p, group, values)

        # Settings errors name the keys of the JSON ``values`` as sent, so they stay as they are.
        saved, errors = await attempt(run, field_name=lambda field: field)
        settings = StoreSettings(group=group, values=cast(JSON, saved)) if saved is not None else None
        return StoreSettingsPayload(settings=settings, user_errors=errors)


# node(id:) for the store's types (404 for another workspace's objects, as everywhere).
def _int_raw(raw: str) -> int:
    if not raw.isdigit() or int(raw) > 2**31 - 1:
        raise NotFound("No object with this id.")
    return int(raw)


@node_resolver("Article")
async def _article_node(services: AppServices, principal: Principal, raw: str) -> Node:
    return Article.from_model((await store_resolvers.get_article(services, principal, _int_raw(raw))).article)


@node_resolver("ArticleCategory")
async def _article_category_node(services: AppServices, principal: Principal, raw: str) -> Node:
    view = await store_resolvers.get_article_category(services, principal, _int_raw(raw))
    return ArticleCategory.from_model(view.category)


@node_resolver("Page")
async def _page_node(services: AppServices, principal: Principal, raw: str) -> Node:
    return Page.from_model(await store_resolvers.get_page(services, principal, _int_raw(raw)))


@node_resolver("StoreUser")
async def _store_user_node(services: AppServices, principal: Principal, raw: str) -> Node:
    return StoreUser.from_model(await store_resolvers.get_user(services, principal, _int_raw(raw)))
