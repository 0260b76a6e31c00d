"""Article categories: a tree (a category is never its own ancestor), each with how many articles it files.
Services never commit."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.principal import Principal
from domain.errors import Problems
from domain.paging import Page, PageRequest
from domain.store.base import ContentBase
from domain.store.commands import ArticleCategoryCommand, ArticleCategoryFilter
from domain.store.models import ArticleCategory
from domain.trees import makes_cycle


@dataclass(frozen=True)
class ArticleCategoryView:
    category: ArticleCategory
    articles_count: int


class ArticleCategoryService(ContentBase):
    async def _with_counts(self, principal: Principal, categories: list[ArticleCategory]) -> list[ArticleCategoryView]:
        counts = await self.repo.articles_counts(principal.workspace_id, [c.id for c in categories])
        return [ArticleCategoryView(c, counts.get(c.id, 0)) for c in categories]

    async def page(
        self, principal: Principal, f: ArticleCategoryFilter, request: PageRequest
    ) -> Page[ArticleCategoryView]:
        principal.require("store.articles.read")
        page = await self.repo.article_categories_page(principal.workspace_id, f, request)
        views = await self._with_counts(principal, page.items)
        return Page(views, page.total, page.offset, page.limit)

    async def get(self, principal: Principal, category_id: int) -> ArticleCategoryView:
        principal.require("store.articles.read")
        category = await self._get(ArticleCategory, principal, category_id)
        return (await self._with_counts(principal, [category]))[0]

    async def _check(
        self, principal: Principal, command: ArticleCategoryCommand, category_id: int | None = None
    ) -> str | None:
        """The slug to store; ``unique`` and ``not_descendant`` problems, reported together."""
        problems = Problems()
        parent_id = command.parent_id
        if category_id is not None and parent_id is not None:
            parents = await self.repo.article_category_parents(principal.workspace_id)
            if makes_cycle(parents, category_id, parent_id):
                problems.add("parent_id", "not_descendant", "A category cannot be its own ancestor.")
        slug = await self._slug(ArticleCategory, principal, command, problems, category_id)
        problems.raise_if_any()
        return slug

    async def create(self, principal: Principal, command: ArticleCategoryCommand) -> ArticleCategoryView:
        principal.require("store.articles.manage")
        slug = await self._check(principal, command)
        category = ArticleCategory(workspace_id=principal.workspace_id, slug=slug, enabled=True, sort_order=0)
        self._write(category, command)
        self.repo.add(category)
        await self.repo.flush()
        return ArticleCategoryView(category, 0)

    async def update(
        self, principal: Principal, category_id: int, command: ArticleCategoryCommand
    ) -> ArticleCategoryView:
        principal.require("store.articles.manage")
        category = await self._get(ArticleCategory, principal, category_id)
        slug = await self._check(principal, command, category.id)
        self._write(category, command)
        if slug:
            category.slug = slug
        await self.repo.flush()
        return (await self._with_counts(principal, [category]))[0]

    async def delete(self, principal: Principal, category_id: int) -> None:
        principal.require("store.articles.manage")
        await self.repo.delete(await self._get(ArticleCategory, principal, category_id))
