"""Article categories: list (search, enabled, parent_id), create, get, update, delete; with articles_count."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.common import data, no_content, paginated, path_id, store_endpoint
from resolvers.rest.store.store_json import article_category_view_json, list_params

FILTERS = ("search", "enabled", "parent_id")


@store_endpoint("articles")
async def list_categories(request: Request, principal: Principal) -> Response:
    params = list_params(request, FILTERS)
    rows, total = await store_resolvers.list_article_categories(services_of(request), principal, params)
    items = [article_category_view_json(v) for v in rows]
    return paginated(request, items, total=total, page=params.page, per_page=params.per_page)


@store_endpoint("articles", write=True)
async def create_category(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    view = await store_resolvers.create_article_category(services_of(request), principal, body)
    return data(article_category_view_json(view), status=201)


@store_endpoint("articles")
async def get_category(request: Request, principal: Principal) -> Response:
    view = await store_resolvers.get_article_category(services_of(request), principal, path_id(request))
    return data(article_category_view_json(view))


@store_endpoint("articles", write=True)
async def update_category(request: Request, principal: Principal) -> Response:
    category_id = path_id(request)
    body = await read_json_object(request)
    view = await store_resolvers.update_article_category(services_of(request), principal, category_id, body)
    return data(article_category_view_json(view))


@store_endpoint("articles", write=True)
async def delete_category(request: Request, principal: Principal) -> Response:
    await store_resolvers.delete_article_category(services_of(request), principal, path_id(request))
    return no_content()


routes = [
    Route("/api/article-categories", list_categories, methods=["GET"]),
    Route("/api/article-categories", create_category, methods=["POST"]),
    Route("/api/article-categories/{id}", get_category, methods=["GET"]),
    Route("/api/article-categories/{id}", update_category, methods=["PATCH"]),
    Route("/api/article-categories/{id}", delete_category, methods=["DELETE"]),
]
