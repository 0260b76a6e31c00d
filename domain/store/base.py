"""What the store's content services (articles, article categories, pages) share: loading an object of the
caller's workspace, choosing its slug, and creating, changing and deleting one from a command. Services never
commit."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.errors import NotFound, Problems
from domain.slugs import next_free_slug, slugify
from domain.store.commands import NOT_COLUMNS
from domain.store.models import Article, ArticleCategory, Page
from domain.store.repository import StoreRepository
from domain.validation import Command

M = TypeVar("M", Article, ArticleCategory, Page)


class ContentBase(Generic[M]):
    model: ClassVar[type[Any]]
    read: ClassVar[str]  # the permissions
    manage: ClassVar[str]

    def __init__(self, session: AsyncSession) -> None:
        self.repo = StoreRepository(session)

    async def _get(self, principal: Principal, obj_id: int) -> M:
        obj: M | None = await self.repo.get(self.model, principal.workspace_id, obj_id)
        if obj is None:
            raise NotFound("No such object.")
        return obj

    async def _create(self, principal: Principal, command: Command, **defaults: Any) -> M:
        """A new object with ``defaults`` and the fields the command carries, under its checked slug."""
        principal.require(self.manage)
        slug = await self._checked_slug(principal, command)
        obj: M = self.model(workspace_id=principal.workspace_id, slug=slug, **defaults)
        self._write(obj, command)
        await self.repo.insert(obj)
        return obj

    async def _update(self, principal: Principal, obj_id: int, command: Command) -> M:
        """Change the fields the command carries; the slug changes only when one is sent."""
        principal.require(self.manage)
        obj = await self._get(principal, obj_id)
        slug = await self._checked_slug(principal, command, obj.id)
        self._write(obj, command)
        if slug:
            obj.slug = slug
        await self.repo.flush()
        return obj

    async def delete(self, principal: Principal, obj_id: int) -> None:
        principal.require(self.manage)
        await self.repo.delete(await self._get(principal, obj_id))

    async def _problems(self, principal: Principal, command: Command, obj_id: int | None) -> Problems:
        """What a subclass refuses besides a taken slug (reported with it); nothing by default."""
        return Problems()

    async def _checked_slug(self, principal: Principal, command: Command, obj_id: int | None = None) -> str | None:
        problems = await self._problems(principal, command, obj_id)
        slug = await self._slug(principal, command, problems, obj_id)
        problems.raise_if_any()
        return slug

    async def _slug(
        self, principal: Principal, command: Command, problems: Problems, obj_id: int | None = None
    ) -> str | None:
        """The slug to store: the one sent (``unique`` when taken), else on a create one made from the title.
        An update without a slug keeps the old one: a stable URL, renaming does not move the page."""
        model = self.model
        given: str | None = getattr(command, "slug", None)
        if given:
            if given in await self.repo.slugs_like(model, principal.workspace_id, given, exclude_id=obj_id):
                problems.add("slug", "unique", "This slug is taken.")
                return None
            return given
        title: str | None = getattr(command, "title", None)
        if obj_id is not None or not title:
            return None
        base = slugify(title) or model.__tablename__.rstrip("s")
        return next_free_slug(base, await self.repo.slugs_like(model, principal.workspace_id, base))

    @staticmethod
    def _write(obj: Any, command: Command) -> None:
        """The fields the caller sent, as they are; the service writes the others."""
        for name, value in command.sent(exclude=NOT_COLUMNS).items():
            setattr(obj, name, value)
        now = utcnow()
        obj.updated_at = now
        if obj.id is None:
            obj.created_at = now
