"""All SQL of the store area: settings, articles, article categories, pages, the store's users (workspace
members). The catalog's counts and clean-up are the catalog's (``domain.catalog.maintenance``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, exists, func, select, text

from domain.base import utcnow
from domain.paging import Page as ListPage
from domain.paging import PageRequest
from domain.repository import WorkspaceRepository
from domain.store.commands import (
    ARTICLE_CATEGORY_SORT,
    ARTICLE_SORT,
    PAGE_SORT,
    ArticleCategoryFilter,
    ArticleFilter,
    PageFilter,
)
from domain.store.models import Article, ArticleCategory, ArticleCategoryLink, Page, StoreSetting

M = TypeVar("M", Article, ArticleCategory, Page)


class StoreRepository(WorkspaceRepository):
    async def ping(self) -> bool:
        await self.session.execute(text("SELECT 1"))
        return True

    # --- settings -------------------------------------------------------------------------------

    async def settings(self, workspace_id: str) -> dict[str, Any]:
        rows = await self.session.execute(
            select(StoreSetting.key, StoreSetting.value).where(StoreSetting.workspace_id == workspace_id)
        )
        return {key: value for key, value in rows.all()}

    async def save_settings(self, workspace_id: str, values: dict[str, Any]) -> None:
        existing = {
            s.key: s
            for s in (
                await self.session.execute(
                    select(StoreSetting).where(
                        StoreSetting.workspace_id == workspace_id, self.one_of(StoreSetting.key, values)
                    )
                )
            ).scalars()
        }
        for key, value in values.items():
            row = existing.get(key)
            if value is None:
                if row is not None:
                    await self.session.delete(row)
            elif row is None:
                self.session.add(StoreSetting(workspace_id=workspace_id, key=key, value=value))
            else:
                row.value = value
                row.updated_at = utcnow()
        await self.session.flush()

    # --- content (articles, article categories, pages) ------------------------------------------

    async def slugs_like(
        self, model: type[M], workspace_id: str, base: str, *, exclude_id: int | None = None
    ) -> set[str]:
        stmt = select(model.slug).where(model.workspace_id == workspace_id, model.slug.like(f"{base}%"))
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        return set((await self.session.execute(stmt)).scalars())

    async def page_by_key(self, workspace_id: str, key: str) -> Page | None:
        stmt = select(Page).where(Page.workspace_id == workspace_id, Page.key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def articles_page(self, workspace_id: str, f: ArticleFilter, request: PageRequest) -> ListPage[Article]:
        stmt = self._filtered(Article, workspace_id, f.search, f.enabled)
        if f.generated is not None:
            stmt = stmt.where(Article.generated.is_(f.generated))
        if f.article_category_id is not None:
            stmt = stmt.where(
                exists().where(
                    ArticleCategoryLink.article_id == Article.id,
                    ArticleCategoryLink.article_category_id == f.article_category_id,
                )
            )
        return await self.page(stmt, Article, ARTICLE_SORT.check(request.sort), request)

    async def article_categories_page(
        self, workspace_id: str, f: ArticleCategoryFilter, request: PageRequest
    ) -> ListPage[ArticleCategory]:
        stmt = self._filtered(ArticleCategory, workspace_id, f.search, f.enabled)
        if f.roots_only:
            stmt = stmt.where(ArticleCategory.parent_id.is_(None))
        elif f.parent_id is not None:
            stmt = stmt.where(ArticleCategory.parent_id == f.parent_id)
        return await self.page(stmt, ArticleCategory, ARTICLE_CATEGORY_SORT.check(request.sort), request)

    async def pages_page(self, workspace_id: str, f: PageFilter, request: PageRequest) -> ListPage[Page]:
        stmt = self._filtered(Page, workspace_id, f.search, f.enabled)
        if f.key is not None:
            stmt = stmt.where(Page.key == f.key)
        return await self.page(stmt, Page, PAGE_SORT.check(request.sort), request)

    @staticmethod
    def _filtered(model: type[M], workspace_id: str, search: str | None, enabled: bool | None) -> Select[Any]:
        stmt: Select[Any] = select(model).where(model.workspace_id == workspace_id)
        if search:
            stmt = stmt.where(func.lower(model.title).contains(search.lower(), autoescape=True))
        if enabled is not None:
            stmt = stmt.where(model.enabled.is_(enabled))
        return stmt

    async def set_article_categories(self, workspace_id: str, article_id: int, category_ids: Sequence[int]) -> None:
        await self.session.execute(delete(ArticleCategoryLink).where(ArticleCategoryLink.article_id == article_id))
        for category_id in category_ids:
            self.session.add(
                ArticleCategoryLink(workspace_id=workspace_id, article_id=article_id, article_category_id=category_id)
            )
        await self.session.flush()

    async def categories_of_articles(
        self, workspace_id: str, article_ids: Sequence[int]
    ) -> dict[int, list[ArticleCategory]]:
        """Each article's categories, in one query."""
        out: dict[int, list[ArticleCategory]] = {i: [] for i in article_ids}
        if not article_ids:
            return out
        stmt = (
            select(ArticleCategoryLink.article_id, ArticleCategory)
            .join(ArticleCategory, ArticleCategory.id == ArticleCategoryLink.article_category_id)
            .where(
                ArticleCategoryLink.workspace_id == workspace_id,
                self.one_of(ArticleCategoryLink.article_id, article_ids),
            )
            .order_by(ArticleCategory.sort_order, ArticleCategory.id)
        )
        for article_id, category in (await self.session.execute(stmt)).all():
            out[article_id].append(category)
        return out

    async def articles_counts(self, workspace_id: str, category_ids: Sequence[int]) -> dict[int, int]:
        out = dict.fromkeys(category_ids, 0)
        if not category_ids:
            return out
        stmt = (
            select(ArticleCategoryLink.article_category_id, func.count())
            .where(
                ArticleCategoryLink.workspace_id == workspace_id,
                self.one_of(ArticleCategoryLink.article_category_id, category_ids),
            )
            .group_by(ArticleCategoryLink.article_category_id)
        )
        for category_id, count in (await self.session.execute(stmt)).all():
            out[category_id] = int(count)
        return out

    async def article_category_parents(self, workspace_id: str) -> dict[int, int | None]:
        stmt = select(ArticleCategory.id, ArticleCategory.parent_id).where(ArticleCategory.workspace_id == workspace_id)
        return {i: p for i, p in (await self.session.execute(stmt)).all()}

    # --- store stats -----------------------------------------------------------------------------

    async def article_totals(self, workspace_id: str) -> tuple[int, int]:
        """The workspace's articles, and how many of them were generated."""
        stmt = select(func.count(), func.count().filter(Article.generated.is_(True))).where(
            Article.workspace_id == workspace_id
        )
        total, generated = (await self.session.execute(stmt)).one()
        return int(total), int(generated)
