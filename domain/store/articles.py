"""Articles: rules for listing, reading, writing and deleting them, and their article categories.
Services never commit."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.paging import Page, PageRequest
from domain.store.base import ContentBase
from domain.store.commands import ArticleCommand, ArticleFilter
from domain.store.models import Article, ArticleCategory


@dataclass(frozen=True)
class ArticleView:
    article: Article
    categories: list[ArticleCategory]


class ArticleService(ContentBase[Article]):
    model = Article
    read, manage = "store.articles.read", "store.articles.manage"

    async def page(self, principal: Principal, f: ArticleFilter, request: PageRequest) -> Page[Article]:
        principal.require(self.read)
        return await self.repo.articles_page(principal.workspace_id, f, request)

    async def get(self, principal: Principal, article_id: int) -> ArticleView:
        principal.require(self.read)
        article = await self._get(principal, article_id)
        categories = await self.repo.categories_of_articles(principal.workspace_id, [article.id])
        return ArticleView(article, categories[article.id])

    async def create(self, principal: Principal, command: ArticleCommand) -> ArticleView:
        article = await self._create(principal, command, enabled=True, generated=False)
        await self.repo.set_article_categories(principal.workspace_id, article.id, command.article_categories)
        return await self.get(principal, article.id)

    async def update(self, principal: Principal, article_id: int, command: ArticleCommand) -> ArticleView:
        article = await self._update(principal, article_id, command)
        if "article_categories" in command.model_fields_set:
            await self.repo.set_article_categories(principal.workspace_id, article.id, command.article_categories)
        return await self.get(principal, article.id)

    async def fill_empty_images(self, principal: Principal, article_id: int) -> list[str]:
        """Copy the hero image into empty listing and social slots; never overwrite."""
        principal.require(self.manage)
        article = await self._get(principal, article_id)
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
