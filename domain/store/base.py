"""What the store's content services (articles, article categories, pages) share: loading an object of the
caller's workspace, choosing its slug, and writing a command's fields. Services never commit."""

from __future__ import annotations

from typing import Any, TypeVar

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


class ContentBase:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = StoreRepository(session)

    async def _get(self, model: type[M], principal: Principal, obj_id: int) -> M:
        obj = await self.repo.get(model, principal.workspace_id, obj_id)
        if obj is None:
            raise NotFound("No such object.")
        return obj

    async def _slug(
        self, model: type[M], principal: Principal, command: Command, problems: Problems, obj_id: int | None = None
    ) -> str | None:
        """The slug to store: the one sent (``unique`` when taken), else on a create one made from the title.
        An update without a slug keeps the old one: a stable URL, renaming does not move the page."""
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
