"""The store dialect's bodies for articles, article categories, pages, users and the store endpoints: each
render function returns the TypedDict that documents it (key order is the wire's)."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from domain.store.article_categories import ArticleCategoryView
from domain.store.locales import LOCALES
from domain.store.models import Article, ArticleCategory, Page
from domain.store.service import StoreInfo, StoreStats, StoreWarning
from domain.store.users import StoreUser
from resolvers.rest.store.dialect import ts


class UserJson(TypedDict):
    id: int
    firstName: str | None
    lastName: str | None
    email: str
    roles: list[str]
    newsletter: bool
    deleted: bool
    created_at: str | None
    updated_at: str | None


class ArticleCategoryJson(TypedDict):
    id: int
    parent_id: int | None
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content_top: str | None
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    sort_order: int
    articles_count: NotRequired[int]  # on the article categories' own endpoints, not inside an article
    created_at: str | None
    updated_at: str | None


class _Counted(TypedDict, total=False):
    articles_count: int


class ArticleJson(TypedDict):
    id: int
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    generated: int  # 1 or 0, as the document shows it
    published_at: str | None
    product_category_id: int | None
    hero_image_url: str | None
    listing_image_url: str | None
    social_image_url: str | None
    created_at: str | None
    updated_at: str | None
    article_categories: NotRequired[list[ArticleCategoryJson]]  # on a single article, not in lists


class PageJson(TypedDict):
    id: int
    key: str | None
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    created_at: str | None
    updated_at: str | None


class FilledJson(TypedDict):
    filled: list[str]


class LoginLinkJson(TypedDict):
    loginLink: str


class StatusJson(TypedDict):
    up: bool


class StoreInfoJson(TypedDict):
    name: str | None
    url: str
    niche: str | None
    live: bool
    default_country: str
    enabled_countries: list[str]
    version: str
    cart_enabled: bool
    advanced_mode: bool


class StoreStatsJson(TypedDict):
    brands: int
    articles: int
    products: int
    categories: int
    offers: int
    articles_generated: int


class WarningJson(TypedDict):
    message: str
    action: str
    url: str


class LocaleJson(TypedDict):
    name: str
    iso_3166_2: str
    currency: str
    language: str
    amazon_domain: str


class CleanJson(TypedDict):
    deleted: dict[str, int]


def user_json(member: StoreUser) -> UserJson:
    user = member.user
    return {
        "id": user.id,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.email,
        "roles": member.roles,
        "newsletter": member.membership.newsletter,
        "deleted": member.membership.deleted_at is not None,
        "created_at": ts(member.membership.created_at),
        "updated_at": ts(user.updated_at),
    }


def article_category_json(category: ArticleCategory, articles_count: int | None = None) -> ArticleCategoryJson:
    counted: _Counted = {} if articles_count is None else {"articles_count": articles_count}
    return {
        "id": category.id,
        "parent_id": category.parent_id,
        "slug": category.slug,
        "title": category.title,
        "subtitle": category.subtitle,
        "link_title": category.link_title,
        "content_top": category.content_top,
        "content_bottom": category.content_bottom,
        "meta_title": category.meta_title,
        "meta_keywords": category.meta_keywords,
        "meta_description": category.meta_description,
        "enabled": category.enabled,
        "sort_order": category.sort_order,
        **counted,
        "created_at": ts(category.created_at),
        "updated_at": ts(category.updated_at),
    }


def article_category_view_json(view: ArticleCategoryView) -> ArticleCategoryJson:
    return article_category_json(view.category, view.articles_count)


def article_json(article: Article, categories: list[ArticleCategory] | None = None) -> ArticleJson:
    body: ArticleJson = {
        "id": article.id,
        "slug": article.slug,
        "title": article.title,
        "subtitle": article.subtitle,
        "link_title": article.link_title,
        "content": article.content,
        "meta_title": article.meta_title,
        "meta_keywords": article.meta_keywords,
        "meta_description": article.meta_description,
        "enabled": article.enabled,
        "generated": 1 if article.generated else 0,
        "published_at": ts(article.published_at),
        "product_category_id": article.product_category_id,
        "hero_image_url": article.hero_image_url,
        "listing_image_url": article.listing_image_url,
        "social_image_url": article.social_image_url,
        "created_at": ts(article.created_at),
        "updated_at": ts(article.updated_at),
    }
    if categories is not None:
        body["article_categories"] = [article_category_json(c) for c in categories]
    return body


def page_json(page: Page) -> PageJson:
    return {
        "id": page.id,
        "key": page.key,
        "slug": page.slug,
        "title": page.title,
        "subtitle": page.subtitle,
        "link_title": page.link_title,
        "content": page.content,
        "meta_title": page.meta_title,
        "meta_keywords": page.meta_keywords,
        "meta_description": page.meta_description,
        "enabled": page.enabled,
        "created_at": ts(page.created_at),
        "updated_at": ts(page.updated_at),
    }


def store_info_json(info: StoreInfo) -> StoreInfoJson:
    return {
        "name": info.name,
        "url": info.url,
        "niche": info.niche,
        "live": info.live,
        "default_country": info.default_country,
        "enabled_countries": info.enabled_countries,
        "version": info.version,
        "cart_enabled": info.cart_enabled,
        "advanced_mode": info.advanced_mode,
    }


def store_stats_json(stats: StoreStats) -> StoreStatsJson:
    return {
        "brands": stats.brands,
        "articles": stats.articles,
        "products": stats.products,
        "categories": stats.categories,
        "offers": stats.offers,
        "articles_generated": stats.articles_generated,
    }


def warning_json(warning: StoreWarning) -> WarningJson:
    return {"message": warning.message, "action": warning.action, "url": warning.url}


def locale_json(code: str) -> LocaleJson:
    info = LOCALES[code]
    return {
        "name": info["name"],
        "iso_3166_2": info["iso_3166_2"],
        "currency": info["currency"],
        "language": info["language"],
        "amazon_domain": info["amazon_domain"],
    }
