"""The store dialect's bodies for settings, users, articles, article categories and pages, and the path and
list parameters those endpoints share."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from domain.store.content import ArticleCategoryView, ListParams
from domain.store.models import Article, ArticleCategory, Page
from domain.store.users import StoreUser
from resolvers.rest.store.common import page_params, ts


def list_params(request: Request, filters: tuple[str, ...]) -> ListParams:
    page, per_page = page_params(request)
    q = request.query_params
    return ListParams(
        page=page,
        per_page=per_page,
        sort_by=q.get("sort_by") or None,
        sort_dir=q.get("sort_dir") or None,
        filters={name: q[name] for name in filters if name in q and (q[name] != "" or name == "parent_id")},
    )


def user_json(member: StoreUser) -> dict[str, Any]:
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


def article_category_json(category: ArticleCategory, articles_count: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
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
    }
    if articles_count is not None:
        body["articles_count"] = articles_count
    body["created_at"] = ts(category.created_at)
    body["updated_at"] = ts(category.updated_at)
    return body


def article_category_view_json(view: ArticleCategoryView) -> dict[str, Any]:
    return article_category_json(view.category, view.articles_count)


def article_json(article: Article, categories: list[ArticleCategory] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
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


def page_json(page: Page) -> dict[str, Any]:
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
