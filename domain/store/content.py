"""Rules for articles, article categories and pages. Services never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.catalog.taxonomy import CategoryService
from domain.errors import NotFound
from domain.slugs import next_free_slug, slugify
from domain.sorting import Sort, read_sort
from domain.store.models import Article, ArticleCategory, Page
from domain.store.repository import ListQuery, StoreRepository
from domain.store.validation import Errors, Field, parse_bool, parse_int, validate
from domain.trees import makes_cycle

TITLE_MAX = 255

_SEO = [
    Field("subtitle", "str", max_length=255),
    Field("link_title", "str", max_length=255),
    Field("meta_title", "str", max_length=255),
    Field("meta_keywords", "str", max_length=255),
    Field("meta_description", "text", max_length=65535),
    Field("enabled", "bool", nullable=False),
]

ARTICLE_FIELDS = [
    Field("title", "str", required=True, max_length=TITLE_MAX),
    Field("slug", "str", max_length=255),
    Field("content", "text", max_length=1_000_000),
    *_SEO,
    Field("published_at", "datetime"),
    Field("product_category_id", "int"),
    Field("article_categories", "int_list", nullable=False),
    Field("generate_seo_keyword", "str", max_length=255),
    Field("hero_image_url", "str", max_length=2048),
    Field("listing_image_url", "str", max_length=2048),
    Field("social_image_url", "str", max_length=2048),
]

ARTICLE_CATEGORY_FIELDS = [
    Field("title", "str", required=True, max_length=TITLE_MAX),
    Field("slug", "str", max_length=255),
    Field("parent_id", "int"),
    Field("content_top", "text", max_length=1_000_000),
    Field("content_bottom", "text", max_length=1_000_000),
    *_SEO,
    Field("sort_order", "int", nullable=False),
]

PAGE_FIELDS = [
    Field("title", "str", required=True, max_length=TITLE_MAX),
    Field("key", "str", max_length=255),
    Field("slug", "str", max_length=255),
    Field("content", "text", max_length=1_000_000),
    *_SEO,
]

SORTABLE: dict[type[Any], tuple[str, ...]] = {
    Article: ("id", "title", "slug", "enabled", "generated", "published_at", "created_at", "updated_at"),
    ArticleCategory: ("id", "title", "slug", "enabled", "sort_order", "created_at", "updated_at"),
    Page: ("id", "title", "slug", "key", "enabled", "created_at", "updated_at"),
}

DEFAULT_SORT = Sort("created_at", descending=True)

HOMEPAGE_KEY = "homepage"


@dataclass
class ListParams:
    """Raw query parameters of a list request (strings, as received)."""

    page: int = 1
    per_page: int = 15
    sort_by: str | None = None
    sort_dir: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    offset: int | None = None  # a cursor's position (GraphQL); otherwise from page and per_page


def build_query(model: type[Any], params: ListParams, allowed_filters: tuple[str, ...]) -> ListQuery:
    errors = Errors()
    sort, sort_errors = read_sort(params.sort_by, params.sort_dir, SORTABLE[model], DEFAULT_SORT)
    for name, messages in sort_errors.items():
        for message in messages:
            errors.add(name, message)
    values: dict[str, Any] = {}
    for name in allowed_filters:
        raw = params.filters.get(name)
        if raw is None:
            continue
        if name in ("enabled", "generated"):
            parsed = parse_bool(raw)
            if parsed is None:
                errors.add(name, f"The {name} field must be true or false.")
            values[name] = parsed
        elif name in ("article_category_id", "parent_id"):
            if name == "parent_id" and raw == "":
                values["roots_only"] = True
                continue
            number = parse_int(raw)
            if number is None:
                errors.add(name, f"The {name.replace('_', ' ')} field must be an integer.")
            values[name] = number
        elif name == "search":
            values["search"] = raw.strip() or None
        elif name == "key":
            values["key"] = raw
    errors.raise_if_any()
    return ListQuery(
        page=params.page,
        per_page=params.per_page,
        offset=params.offset,
        sort_by=sort.column,
        sort_dir="desc" if sort.descending else "asc",
        **values,
    )


@dataclass(frozen=True)
class ArticleView:
    article: Article
    categories: list[ArticleCategory]


@dataclass(frozen=True)
class ArticleCategoryView:
    category: ArticleCategory
    articles_count: int


class ContentService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = StoreRepository(session)
        self.catalog_categories = CategoryService(session)

    # --- shared ---------------------------------------------------------------------------------

    async def _slug(
        self, model: type[Any], workspace_id: str, values: dict[str, Any], errors: Errors, obj_id: int | None = None
    ) -> str | None:
        """The slug to store: the given one (422 when taken) or one generated from the title."""
        given = values.get("slug")
        if given:
            slug = slugify(given)
            if not slug:
                errors.add("slug", "The slug must contain letters or digits.")
                return None
            if slug in await self.repo.slugs_like(model, workspace_id, slug, exclude_id=obj_id):
                errors.add("slug", "The slug has already been taken.")
                return None
            return slug
        if obj_id is not None:
            return None  # a stable URL: renaming does not move the page
        title = values.get("title")
        if not title:
            return None  # the missing title is reported already
        base = slugify(title) or model.__tablename__.rstrip("s")
        return next_free_slug(base, await self.repo.slugs_like(model, workspace_id, base))

    async def _get(self, model: type[Any], principal: Principal, obj_id: int) -> Any:
        obj = await self.repo.get(model, principal.workspace_id, obj_id)
        if obj is None:
            raise NotFound("The API resource was not found")
        return obj

    @staticmethod
    def _apply(obj: Any, values: dict[str, Any], skip: tuple[str, ...]) -> None:
        for name, value in values.items():
            if name in skip:
                continue
            setattr(obj, name, value)
        now = utcnow()
        obj.updated_at = now
        if obj.id is None:
            obj.created_at = now

    # --- articles -------------------------------------------------------------------------------

    async def list_articles(self, principal: Principal, params: ListParams) -> tuple[list[Article], int]:
        principal.require("store.articles.read")
        query = build_query(Article, params, ("search", "enabled", "generated", "article_category_id"))
        return await self.repo.list_page(Article, principal.workspace_id, query)

    async def get_article(self, principal: Principal, article_id: int) -> ArticleView:
        principal.require("store.articles.read")
        article = await self._get(Article, principal, article_id)
        categories = await self.repo.categories_of_articles(principal.workspace_id, [article.id])
        return ArticleView(article, categories[article.id])

    async def categories_of_articles(
        self, principal: Principal, article_ids: list[int]
    ) -> dict[int, list[ArticleCategory]]:
        principal.require("store.articles.read")
        return await self.repo.categories_of_articles(principal.workspace_id, article_ids)

    async def _article_values(
        self, principal: Principal, body: Mapping[str, Any], *, partial: bool, article_id: int | None = None
    ) -> tuple[dict[str, Any], str | None]:
        errors = Errors()
        values = validate(dict(body), ARTICLE_FIELDS, errors, partial=partial)
        if "generate_ai_content" in body and parse_bool(body["generate_ai_content"]) is None:
            errors.add("generate_ai_content", "The generate ai content field must be true or false.")
        category_ids = values.get("article_categories")
        if category_ids:
            found = await self.repo.existing_ids(ArticleCategory, principal.workspace_id, category_ids)
            missing = [i for i in category_ids if i not in found]
            if missing:
                errors.add("article_categories", f"The selected article categories are invalid: {missing}.")
        product_category_id = values.get("product_category_id")
        if product_category_id is not None and not await self.catalog_categories.exists(
            principal.workspace_id, product_category_id
        ):
            errors.add("product_category_id", "The selected product category id is invalid.")
        slug = await self._slug(Article, principal.workspace_id, values, errors, article_id)
        errors.raise_if_any()
        values.pop("generate_seo_keyword", None)  # only meaningful for AI generation
        return values, slug

    async def create_article(self, principal: Principal, body: Mapping[str, Any]) -> ArticleView:
        principal.require("store.articles.manage")
        values, slug = await self._article_values(principal, body, partial=False)
        article = Article(workspace_id=principal.workspace_id, slug=slug, enabled=True, generated=False)
        self._apply(article, values, ("slug", "article_categories"))
        self.repo.add(article)
        await self.repo.flush()
        await self.repo.set_article_categories(principal.workspace_id, article.id, values.get("article_categories", []))
        return await self.get_article(principal, article.id)

    async def update_article(self, principal: Principal, article_id: int, body: Mapping[str, Any]) -> ArticleView:
        principal.require("store.articles.manage")
        article = await self._get(Article, principal, article_id)
        values, slug = await self._article_values(principal, body, partial=True, article_id=article.id)
        self._apply(article, values, ("slug", "article_categories"))
        if slug:
            article.slug = slug
        await self.repo.flush()
        if "article_categories" in values:
            await self.repo.set_article_categories(principal.workspace_id, article.id, values["article_categories"])
        return await self.get_article(principal, article.id)

    async def delete_article(self, principal: Principal, article_id: int) -> None:
        principal.require("store.articles.manage")
        await self.repo.delete(await self._get(Article, principal, article_id))

    async def fill_empty_images(self, principal: Principal, article_id: int) -> list[str]:
        """Copy the hero image into empty listing and social slots; never overwrite."""
        principal.require("store.articles.manage")
        article: Article = await self._get(Article, principal, article_id)
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

    # --- for per-request loaders: the caller was checked when the parent object was read ----------

    async def categories_of_articles_in(self, workspace_id: str, ids: list[int]) -> dict[int, list[ArticleCategory]]:
        return await self.repo.categories_of_articles(workspace_id, ids)

    async def article_categories_in(self, workspace_id: str, ids: list[int]) -> dict[int, ArticleCategory]:
        return await self.repo.by_ids(ArticleCategory, workspace_id, ids)

    async def articles_counts_in(self, workspace_id: str, ids: list[int]) -> dict[int, int]:
        return await self.repo.articles_counts(workspace_id, ids)

    # --- article categories ---------------------------------------------------------------------

    async def _with_counts(self, principal: Principal, categories: list[ArticleCategory]) -> list[ArticleCategoryView]:
        counts = await self.repo.articles_counts(principal.workspace_id, [c.id for c in categories])
        return [ArticleCategoryView(c, counts.get(c.id, 0)) for c in categories]

    async def list_article_categories(
        self, principal: Principal, params: ListParams
    ) -> tuple[list[ArticleCategoryView], int]:
        principal.require("store.articles.read")
        query = build_query(ArticleCategory, params, ("search", "enabled", "parent_id"))
        rows, total = await self.repo.list_page(ArticleCategory, principal.workspace_id, query)
        return await self._with_counts(principal, rows), total

    async def get_article_category(self, principal: Principal, category_id: int) -> ArticleCategoryView:
        principal.require("store.articles.read")
        category = await self._get(ArticleCategory, principal, category_id)
        return (await self._with_counts(principal, [category]))[0]

    async def article_categories_by_ids(self, principal: Principal, ids: list[int]) -> dict[int, ArticleCategory]:
        principal.require("store.articles.read")
        return await self.repo.by_ids(ArticleCategory, principal.workspace_id, ids)

    async def _category_values(
        self, principal: Principal, body: Mapping[str, Any], *, partial: bool, category_id: int | None = None
    ) -> tuple[dict[str, Any], str | None]:
        errors = Errors()
        values = validate(dict(body), ARTICLE_CATEGORY_FIELDS, errors, partial=partial)
        parent_id = values.get("parent_id")
        if parent_id is not None:
            parents = await self.repo.article_category_parents(principal.workspace_id)
            if parent_id not in parents:
                errors.add("parent_id", "The selected parent id is invalid.")
            elif category_id is not None and makes_cycle(parents, category_id, parent_id):
                errors.add("parent_id", "A category cannot be its own ancestor.")
        slug = await self._slug(ArticleCategory, principal.workspace_id, values, errors, category_id)
        errors.raise_if_any()
        return values, slug

    async def create_article_category(self, principal: Principal, body: Mapping[str, Any]) -> ArticleCategoryView:
        principal.require("store.articles.manage")
        values, slug = await self._category_values(principal, body, partial=False)
        category = ArticleCategory(workspace_id=principal.workspace_id, slug=slug, enabled=True, sort_order=0)
        self._apply(category, values, ("slug",))
        self.repo.add(category)
        await self.repo.flush()
        return ArticleCategoryView(category, 0)

    async def update_article_category(
        self, principal: Principal, category_id: int, body: Mapping[str, Any]
    ) -> ArticleCategoryView:
        principal.require("store.articles.manage")
        category = await self._get(ArticleCategory, principal, category_id)
        values, slug = await self._category_values(principal, body, partial=True, category_id=category.id)
        self._apply(category, values, ("slug",))
        if slug:
            category.slug = slug
        await self.repo.flush()
        return (await self._with_counts(principal, [category]))[0]

    async def delete_article_category(self, principal: Principal, category_id: int) -> None:
        principal.require("store.articles.manage")
        await self.repo.delete(await self._get(ArticleCategory, principal, category_id))

    # --- pages ----------------------------------------------------------------------------------

    async def ensure_homepage(self, principal: Principal) -> None:
        """Every store has its homepage page (``key=homepage``); created on first use of the pages (by anyone
        who may read them)."""
        principal.require("store.pages.read")
        if await self.repo.page_by_key(principal.workspace_id, HOMEPAGE_KEY) is not None:
            return
        base = "home"
        slug = next_free_slug(base, await self.repo.slugs_like(Page, principal.workspace_id, base))
        self.repo.add(
            Page(workspace_id=principal.workspace_id, key=HOMEPAGE_KEY, slug=slug, title="Home", enabled=True)
        )
        await self.repo.flush()

    async def list_pages(self, principal: Principal, params: ListParams) -> tuple[list[Page], int]:
        principal.require("store.pages.read")
        query = build_query(Page, params, ("search", "enabled", "key"))
        return await self.repo.list_page(Page, principal.workspace_id, query)

    async def get_page(self, principal: Principal, page_id: int) -> Page:
        principal.require("store.pages.read")
        page: Page = await self._get(Page, principal, page_id)
        return page

    async def _page_values(
        self, principal: Principal, body: Mapping[str, Any], *, partial: bool, page_id: int | None = None
    ) -> tuple[dict[str, Any], str | None]:
        errors = Errors()
        values = validate(dict(body), PAGE_FIELDS, errors, partial=partial)
        key = values.get("key")
        if key:
            existing = await self.repo.page_by_key(principal.workspace_id, key)
            if existing is not None and existing.id != page_id:
                errors.add("key", "The key has already been taken.")
        elif "key" in values:
            values["key"] = None
        slug = await self._slug(Page, principal.workspace_id, values, errors, page_id)
        errors.raise_if_any()
        return values, slug

    async def create_page(self, principal: Principal, body: Mapping[str, Any]) -> Page:
        principal.require("store.pages.manage")
        values, slug = await self._page_values(principal, body, partial=False)
        page = Page(workspace_id=principal.workspace_id, slug=slug, enabled=True)
        self._apply(page, values, ("slug",))
        self.repo.add(page)
        await self.repo.flush()
        return page

    async def update_page(self, principal: Principal, page_id: int, body: Mapping[str, Any]) -> Page:
        principal.require("store.pages.manage")
        page: Page = await self._get(Page, principal, page_id)
        values, slug = await self._page_values(principal, body, partial=True, page_id=page.id)
        self._apply(page, values, ("slug",))
        if slug:
            page.slug = slug
        await self.repo.flush()
        return page

    async def delete_page(self, principal: Principal, page_id: int) -> None:
        principal.require("store.pages.manage")
        await self.repo.delete(await self._get(Page, principal, page_id))
