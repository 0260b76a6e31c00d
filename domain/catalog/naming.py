"""Writing products, brands and categories: each has a slug unique in its workspace, given or made from the
title."""

from __future__ import annotations

from domain.base import utcnow
from domain.catalog.models import Brand, Category, Product
from domain.catalog.repository import CatalogRepository
from domain.errors import Problems
from domain.slugs import next_free_slug, slugify
from domain.validation import Command

Named = Product | Brand | Category


class NamedWrites:
    def __init__(self, repo: CatalogRepository, *, fallback: str) -> None:
        self.repo = repo
        self.fallback = fallback  # the slug base of a title with no letters or digits

    async def insert(self, obj: Named, slug: str | None) -> None:
        """Add ``obj`` with the slug asked for (refused when taken or empty), or one made from its title."""
        problems = Problems()
        checked = await self._check(obj, slug, problems)
        problems.raise_if_any()
        await self._assign(obj, checked)
        await self.repo.insert(obj)

    async def update(
        self, obj: Named, command: Command, problems: Problems | None = None, *, code: str | None = None
    ) -> None:
        """Apply the fields ``command`` carries, unless there are ``problems`` (the caller's, or a refused slug).
        A blank slug makes a new one from the title."""
        problems = Problems() if problems is None else problems
        slug = getattr(command, "slug", None)
        checked = await self._check(obj, slug, problems)
        problems.raise_if_any(code=code)
        for key, value in command.sent(exclude=["slug"]).items():
            setattr(obj, key, value)
        if slug:
            await self._assign(obj, checked)
        obj.updated_at = utcnow()
        await self.repo.flush()

    async def _check(self, obj: Named, requested: str | None, problems: Problems) -> str | None:
        """The slug asked for, made URL-safe, when it is free (or already ``obj``'s); ``None`` when none was
        asked for (blank counts as none) or it is refused (the problem goes to ``problems``)."""
        if requested is None or not requested.strip():
            return None
        slug = slugify(requested)
        if not slug:
            problems.add("slug", "slug", "Must contain letters or digits.")
            return None
        owner = await self.repo.slug_owner(type(obj), obj.workspace_id, slug)
        if owner is not None and owner != getattr(obj, "id", None):
            problems.add("slug", "unique", "This slug is already taken.")
            return None
        return slug

    async def _assign(self, obj: Named, slug: str | None) -> None:
        if slug is None:
            base = slugify(obj.title) or self.fallback
            slug = next_free_slug(base, await self.repo.taken_slugs(type(obj), obj.workspace_id, base))
        obj.slug = slug
