"""The store dialect's bodies for articles, article categories, pages, users and the store endpoints: each
render function returns the TypedDict that documents it (key order is the wire's)."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from domain.store.article_categories import ArticleCategoryView
from domain.store.locales import Locale
from domain.store.models import Article, ArticleCategory, Page
from domain.store.service import StoreInfo, StoreStats, StoreWarning
from domain.store.users import StoreUser
from resolvers.rest.bodies import Body
from resolvers.rest.store.catalog_json import CategoryFields, TitledFields
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


class Stamps(TypedDict):
    created_at: str | None
    updated_at: str | None


class _ArticlesCount(TypedDict, total=False):
    articles_count: int  # on the article categories' own endpoints, not inside an article


# The store document gives an article category the fields of a product category.
class ArticleCategoryJson(CategoryFields, _ArticlesCount, Stamps):
    pass


class ArticleJson(TitledFields):
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


_ARTICLE_CATEGORY = Body(ArticleCategory, ArticleCategoryJson, stamp=ts)
_ARTICLE = Body(Article, ArticleJson, stamp=ts, convert={"generated": int})  # 1 or 0, as the document shows it
page_json = Body(Page, PageJson, stamp=ts)
store_info_json = Body(StoreInfo, StoreInfoJson)
store_stats_json = Body(StoreStats, StoreStatsJson)
warning_json = Body(StoreWarning, WarningJson)
locale_json = Body(Locale, LocaleJson)


def article_category_json(category: ArticleCategory, articles_count: int | None = None) -> ArticleCategoryJson:
    if articles_count is None:
        return _ARTICLE_CATEGORY(category)
    return _ARTICLE_CATEGORY(category, articles_count=articles_count)


def article_category_view_json(view: ArticleCategoryView) -> ArticleCategoryJson:
    return article_category_json(view.category, view.articles_count)


def article_json(article: Article, categories: list[ArticleCategory] | None = None) -> ArticleJson:
    if categories is None:
        return _ARTICLE(article)
    return _ARTICLE(article, article_categories=[article_category_json(c) for c in categories])
