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
from domain.validation import Command

HOMEPAGE_KEY = "homepage"


class PageService(ContentBase[Page]):
    model = Page
    read, manage = "store.pages.read", "store.pages.manage"

    async def ensure_homepage(self, principal: Principal) -> None:
        """Every store has its homepage page (``key=homepage``); created on first use of the pages (by anyone
        who may read them)."""
        principal.require(self.read)
        if await self.repo.page_by_key(principal.workspace_id, HOMEPAGE_KEY) is not None:
            return
        slug = next_free_slug("home", await self.repo.slugs_like(Page, principal.workspace_id, "home"))
        home = Page(workspace_id=principal.workspace_id, key=HOMEPAGE_KEY, slug=slug, title="Home", enabled=True)
        await self.repo.insert(home)

    async def page(self, principal: Principal, f: PageFilter, request: PageRequest) -> ListPage[Page]:
        """The homepage is there from the first look (run in a unit of work)."""
        await self.ensure_homepage(principal)
        return await self.repo.pages_page(principal.workspace_id, f, request)

    async def get(self, principal: Principal, page_id: int) -> Page:
        principal.require(self.read)
        return await self._get(principal, page_id)

    async def _problems(self, principal: Principal, command: Command, page_id: int | None) -> Problems:
        """A key another page has (``unique``)."""
        problems = Problems()
        key = getattr(command, "key", None)
        if key:
            existing = await self.repo.page_by_key(principal.workspace_id, key)
            if existing is not None and existing.id != page_id:
                problems.add("key", "unique", "This key is taken.")
        return problems

    async def create(self, principal: Principal, command: PageCommand) -> Page:
        return await self._create(principal, command, enabled=True)

    async def update(self, principal: Principal, page_id: int, command: PageCommand) -> Page:
        return await self._update(principal, page_id, command)
