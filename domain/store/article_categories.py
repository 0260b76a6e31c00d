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
from domain.validation import Command


@dataclass(frozen=True)
class ArticleCategoryView:
    category: ArticleCategory
    articles_count: int


class ArticleCategoryService(ContentBase[ArticleCategory]):
    model = ArticleCategory
    read, manage = "store.articles.read", "store.articles.manage"

    async def _with_counts(self, principal: Principal, categories: list[ArticleCategory]) -> list[ArticleCategoryView]:
        counts = await self.repo.articles_counts(principal.workspace_id, [c.id for c in categories])
        return [ArticleCategoryView(c, counts.get(c.id, 0)) for c in categories]

    async def page(
        self, principal: Principal, f: ArticleCategoryFilter, request: PageRequest
    ) -> Page[ArticleCategoryView]:
        principal.require(self.read)
        page = await self.repo.article_categories_page(principal.workspace_id, f, request)
        views = await self._with_counts(principal, page.items)
        return Page(views, page.total, page.offset, page.limit)

    async def get(self, principal: Principal, category_id: int) -> ArticleCategoryView:
        principal.require(self.read)
        category = await self._get(principal, category_id)
        return (await self._with_counts(principal, [category]))[0]

    async def _problems(self, principal: Principal, command: Command, category_id: int | None) -> Problems:
        """A category moved under itself or one of its descendants (``not_descendant``)."""
        problems = Problems()
        parent_id = getattr(command, "parent_id", None)
        if category_id is not None and parent_id is not None:
            parents = await self.repo.article_category_parents(principal.workspace_id)
            if makes_cycle(parents, category_id, parent_id):
                problems.add("parent_id", "not_descendant", "A category cannot be its own ancestor.")
        return problems

    async def create(self, principal: Principal, command: ArticleCategoryCommand) -> ArticleCategoryView:
        """A category files no article yet."""
        return ArticleCategoryView(await self._create(principal, command, enabled=True, sort_order=0), 0)

    async def update(
        self, principal: Principal, category_id: int, command: ArticleCategoryCommand
    ) -> ArticleCategoryView:
        category = await self._update(principal, category_id, command)
        return (await self._with_counts(principal, [category]))[0]
