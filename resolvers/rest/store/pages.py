"""Pages: list (search, key, enabled; the homepage page exists from the first request), create, get,
update, delete."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.paging import SortSpec
from domain.store.ai_flags import QueuedWork, start_ai_jobs
from domain.store.commands import PAGE_SORT, PageCommand, PageFilter
from domain.store.models import Page
from domain.store.pages import PageService
from resolvers.rest.store.ai_flags import DataWithJobs, ai_env, ai_request, answer
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
from resolvers.rest.store.params import BoolFilter, IdPath, ListQuery, TextFilter
from resolvers.rest.store.store_json import PageJson, page_json
from resolvers.rest.surface import Call, Router

router = Router(tags=["pages"])
READ, MANAGE = "store.pages.read", "store.pages.manage"


class PageListQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = PAGE_SORT

    search: TextFilter = Field(default=None, description="Part of the title, any case.")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1, true) or disabled (0, false) ones.")
    key: TextFilter = Field(default=None, description="Only the page with this key (homepage, about...).")

    def filter(self) -> PageFilter:
        return PageFilter(self.search, self.enabled, self.key)


@router.get("/pages", permission=READ, response=Paginated[PageJson])
async def list_pages(call: Call, query: PageListQuery) -> Response:
    """The store's pages; the homepage page is created on first use."""
    page = await call.write(
        lambda uow, p: PageService(uow.session).page(p, query.filter(), query.page_request()), retry_unique=True
    )
    return paginated(call, page, page_json)


async def _with_ai_jobs(
    uow: UnitOfWork, principal: Principal, page: Page, call: Call, body: PageCommand
) -> list[QueuedWork]:
    request = ai_request(body, fields=list(PageCommand.model_fields))
    env = ai_env(call)
    return await start_ai_jobs(
        uow, principal, entity="page", entity_id=page.id, request=request, env=env, page_key=page.key
    )


@router.post("/pages", permission=MANAGE, response=DataWithJobs[PageJson], status=201, responses={402: "AI credits"})
async def create_page(call: Call, body: PageCommand) -> Response:
    """Create a page; its slug is made from the title unless one is sent. ``generate_ai_content`` starts its job
    with it (listed in ``meta.ai_jobs``); ``generate_images`` only where the page has image slots (homepage)."""

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[Page, list[QueuedWork]]:
        page = await PageService(uow.session).create(principal, body)
        return page, await _with_ai_jobs(uow, principal, page, call, body)

    page, jobs = await call.write(write, retry_unique=True)
    return answer(page_json(page), jobs, status=201)


@router.get("/pages/{id}", permission=READ, response=Data[PageJson])
async def get_page(call: Call, path: IdPath) -> Response:
    """One page."""
    return data(page_json(await call.read(lambda s, p: PageService(s).get(p, path.id))))


@router.patch("/pages/{id}", permission=MANAGE, response=DataWithJobs[PageJson], responses={402: "AI credits"})
async def update_page(call: Call, path: IdPath, body: PageCommand) -> Response:
    """Change the fields sent; the slug stays unless one is sent. ``generate_ai_content`` and (homepage)
    ``generate_images`` start their jobs as on create."""

    async def write(uow: UnitOfWork, principal: Principal) -> tuple[Page, list[QueuedWork]]:
        page = await PageService(uow.session).update(principal, path.id, body)
        return page, await _with_ai_jobs(uow, principal, page, call, body)

    page, jobs = await call.write(write)
    return answer(page_json(page), jobs)


@router.delete("/pages/{id}", permission=MANAGE, status=204)
async def delete_page(call: Call, path: IdPath) -> Response:
    """Delete a page (the homepage comes back on the next look at the pages)."""
    await call.write(lambda uow, p: PageService(uow.session).delete(p, path.id))
    return no_content()
