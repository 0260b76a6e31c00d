"""Pages: the type, the list (the homepage page always exists), and the mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.jobs.models import Job as JobModel
from domain.store.commands import PAGE_SORT, PageCommand, PageFilter
from domain.store.models import Page as PageModel
from domain.store.pages import PageService
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.jobs import Job
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, int_id, page_request, sort_of
from schema.store_ai import StoreAiInput, parse_ai, start_jobs
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

    def domain(self) -> PageFilter:
        return PageFilter(self.search, self.enabled, self.key)


@strawberry.type
class Page(Node, FromModel):
    rest_id = "page_id"

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
        return cls.from_model(await info.context.read(lambda s, p: PageService(s).get(p, int_id("Page", raw_id))))


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
class PagePayload(Payload):
    page: Page | None = None
    ai_jobs: list[Job] = strawberry.field(
        default_factory=list, description="The jobs the ai argument started (follow them with jobProgress)."
    )


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
        f = (filter or PageFilterInput()).domain()
        request = page_request(first, after, PAGE_SORT.check(sort_of(sort)))
        # A write: the first look at the pages creates the homepage.
        page = await info.context.scope.write(
            lambda uow: PageService(uow.session).page(principal, f, request), retry_unique=True
        )
        return Connection.of(page, Page.from_model)

    @strawberry.field
    async def page(self, info: Info, id: strawberry.ID) -> Page:
        return await Page.resolve_node(info, id)


@strawberry.type
class PageMutation:
    @payload_mutation()
    async def create_page(self, info: Info, input: PageInput, ai: StoreAiInput | None = None) -> PagePayload:
        command = await parse_input(info, PageCommand, input)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork, principal: Principal) -> tuple[PageModel, list[JobModel]]:
            page = await PageService(uow.session).create(principal, command)
            jobs = await start_jobs(info, uow, principal, flags, entity="page", entity_id=page.id, page_key=page.key)
            return page, jobs

        page, jobs = await info.context.write(write, retry_unique=True)
        return PagePayload(page=Page.from_model(page), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation()
    async def update_page(
        self, info: Info, id: strawberry.ID, input: PageInput, ai: StoreAiInput | None = None
    ) -> PagePayload:
        principal = await info.context.principal()
        page_id = int_id("Page", id)
        command = await parse_input(info, PageCommand, input, partial=True, subject=page_id)
        flags = await parse_ai(info, ai, input)

        async def write(uow: UnitOfWork) -> tuple[PageModel, list[JobModel]]:
            page = await PageService(uow.session).update(principal, page_id, command)
            jobs = await start_jobs(info, uow, principal, flags, entity="page", entity_id=page_id, page_key=page.key)
            return page, jobs

        page, jobs = await info.context.scope.write(write)
        return PagePayload(page=Page.from_model(page), ai_jobs=[Job.from_model(j) for j in jobs])

    @payload_mutation()
    async def delete_page(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Page", id, PageService)
