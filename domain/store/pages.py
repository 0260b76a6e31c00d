"""Pages: system pages have a key unique in the store (every store has its ``homepage``), the others none.
Services never commit."""

from __future__ import annotations

from domain.accounts.principal import Principal
from domain.errors import Problems
from domain.paging import Page as ListPage
from domain.paging import PageRequest
from domain.slugs import next_free_slug
from domain.store.base import ContentBase
from domain.store.commands import PageCommand, PageFilter
from domain.store.models import Page

HOMEPAGE_KEY = "homepage"


class PageService(ContentBase):
    async def ensure_homepage(self, principal: Principal) -> None:
        """Every store has its homepage page (``key=homepage``); created on first use of the pages (by anyone
        who may read them)."""
        principal.require("store.pages.read")
        if await self.repo.page_by_key(principal.workspace_id, HOMEPAGE_KEY) is not None:
            return
        slug = next_free_slug("home", await self.repo.slugs_like(Page, principal.workspace_id, "home"))
        self.repo.add(
            Page(workspace_id=principal.workspace_id, key=HOMEPAGE_KEY, slug=slug, title="Home", enabled=True)
        )
        await self.repo.flush()

    async def page(self, principal: Principal, f: PageFilter, request: PageRequest) -> ListPage[Page]:
        """The homepage is there from the first look (run in a unit of work)."""
        await self.ensure_homepage(principal)
        return await self.repo.pages_page(principal.workspace_id, f, request)

    async def get(self, principal: Principal, page_id: int) -> Page:
        principal.require("store.pages.read")
        return await self._get(Page, principal, page_id)

    async def _check(self, principal: Principal, command: PageCommand, page_id: int | None = None) -> str | None:
        """The slug to store; a key or slug already taken, reported together."""
        problems = Problems()
        if command.key:
            existing = await self.repo.page_by_key(principal.workspace_id, command.key)
            if existing is not None and existing.id != page_id:
                problems.add("key", "unique", "This key is taken.")
        slug = await self._slug(Page, principal, command, problems, page_id)
        problems.raise_if_any()
        return slug

    async def create(self, principal: Principal, command: PageCommand) -> Page:
        principal.require("store.pages.manage")
        slug = await self._check(principal, command)
        page = Page(workspace_id=principal.workspace_id, slug=slug, enabled=True)
        self._write(page, command)
        self.repo.add(page)
        await self.repo.flush()
        return page

    async def update(self, principal: Principal, page_id: int, command: PageCommand) -> Page:
        principal.require("store.pages.manage")
        page = await self._get(Page, principal, page_id)
        slug = await self._check(principal, command, page.id)
        self._write(page, command)
        if slug:
            page.slug = slug
        await self.repo.flush()
        return page

    async def delete(self, principal: Principal, page_id: int) -> None:
        principal.require("store.pages.manage")
        await self.repo.delete(await self._get(Page, principal, page_id))
