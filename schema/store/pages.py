"""Pages: the type, the list (the homepage page always exists), and the mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from domain.store import models
from domain.store.commands import PAGE_SORT, PageCommand, PageFilter
from domain.store.pages import PageService
from schema.errors import UserError, payload_mutation
from schema.payloads import DeletePayload
from schema.relay import Connection, Node, SortDirection, int_id, page_request, sort_of, to_global_id
from schema.store.inputs import parse_input
from schema.types import Info


@strawberry.enum
class PageSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    KEY = "key"
    ENABLED = "enabled"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class PageSort:
    field: PageSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="PageFilter")
class PageFilterInput:
    search: str | None = None
    enabled: bool | None = None
    key: str | None = None


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
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        principal = await info.context.principal()
        page_id = int_id("Page", raw_id)
        return cls.from_model(await info.context.scope.read(lambda s: PageService(s).get(principal, page_id)))

    @classmethod
    def from_model(cls, p: models.Page) -> Self:
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


@strawberry.type
class PagePayload:
    page: Page | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PageQuery:
    @strawberry.field(description="The store's pages (the homepage page always exists), at most 100 a page.")
    async def pages(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: PageFilterInput | None = None,
        sort: PageSort | None = None,
    ) -> Connection[Page]:
        principal = await info.context.principal()
        f = filter or PageFilterInput()
        request = page_request(first, after, PAGE_SORT.check(sort_of(sort)))
        page = await info.context.scope.write(
            lambda uow: PageService(uow.session).page(principal, PageFilter(f.search, f.enabled, f.key), request),
            retry_unique=True,
        )
        return Connection.of(page, Page.from_model)

    @strawberry.field
    async def page(self, info: Info, id: strawberry.ID) -> Page:
        return await Page.resolve_node(info, id)


@strawberry.type
class PageMutation:
    @payload_mutation()
    async def create_page(self, info: Info, input: PageInput) -> PagePayload:
        principal = await info.context.principal()
        command = await parse_input(info, PageCommand, input)
        page = await info.context.scope.write(
            lambda uow: PageService(uow.session).create(principal, command), retry_unique=True
        )
        return PagePayload(page=Page.from_model(page))

    @payload_mutation()
    async def update_page(self, info: Info, id: strawberry.ID, input: PageInput) -> PagePayload:
        principal = await info.context.principal()
        page_id = int_id("Page", id)
        command = await parse_input(info, PageCommand, input, partial=True)
        page = await info.context.scope.write(lambda uow: PageService(uow.session).update(principal, page_id, command))
        return PagePayload(page=Page.from_model(page))

    @payload_mutation()
    async def delete_page(self, info: Info, id: strawberry.ID) -> DeletePayload:
        principal = await info.context.principal()
        page_id = int_id("Page", id)
        await info.context.scope.write(lambda uow: PageService(uow.session).delete(principal, page_id))
        return DeletePayload(deleted_id=to_global_id("Page", page_id))
