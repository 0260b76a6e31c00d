"""Articles: rules for listing, reading, writing and deleting them, and their article categories.
Services never commit."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.errors import Problems
from domain.paging import Page, PageRequest
from domain.store.base import ContentBase
from domain.store.commands import ArticleCommand, ArticleFilter
from domain.store.models import Article, ArticleCategory


@dataclass(frozen=True)
class ArticleView:
    article: Article
    categories: list[ArticleCategory]


class ArticleService(ContentBase):
    async def page(self, principal: Principal, f: ArticleFilter, request: PageRequest) -> Page[Article]:
        principal.require("store.articles.read")
        return await self.repo.articles_page(principal.workspace_id, f, request)

    async def get(self, principal: Principal, article_id: int) -> ArticleView:
        principal.require("store.articles.read")
        article = await self._get(Article, principal, article_id)
        categories = await self.repo.categories_of_articles(principal.workspace_id, [article.id])
        return ArticleView(article, categories[article.id])

    async def create(self, principal: Principal, command: ArticleCommand) -> ArticleView:
        principal.require("store.articles.manage")
        problems = Problems()
        slug = await self._slug(Article, principal, command, problems)
        problems.raise_if_any()
        article = Article(workspace_id=principal.workspace_id, slug=slug, enabled=True, generated=False)
        self._write(article, command)
        self.repo.add(article)
        await self.repo.flush()
        await self.repo.set_article_categories(principal.workspace_id, article.id, command.article_categories)
        return await self.get(principal, article.id)

    async def update(self, principal: Principal, article_id: int, command: ArticleCommand) -> ArticleView:
        principal.require("store.articles.manage")
        article = await self._get(Article, principal, article_id)
        problems = Problems()
        slug = await self._slug(Article, principal, command, problems, article.id)
        problems.raise_if_any()
        self._write(article, command)
        if slug:
            article.slug = slug
        await self.repo.flush()
        if "article_categories" in command.model_fields_set:
            await self.repo.set_article_categories(principal.workspace_id, article.id, command.article_categories)
        return await self.get(principal, article.id)

    async def delete(self, principal: Principal, article_id: int) -> None:
        principal.require("store.articles.manage")
        await self.repo.delete(await self._get(Article, principal, article_id))

    async def fill_empty_images(self, principal: Principal, article_id: int) -> list[str]:
        """Copy the hero image into empty listing and social slots; never overwrite."""
        principal.require("store.articles.manage")
        article = await self._get(Article, principal, article_id)
        filled: list[str] = []
        if article.hero_image_url:
            if not article.listing_image_url:
                article.listing_image_url = article.hero_image_url
                filled.append("listingImage")
            if not article.social_image_url:
                article.social_image_url = article.hero_image_url
                filled.append("socialImage")
            if filled:
                article.updated_at = utcnow()
                await self.repo.flush()
        return filled
