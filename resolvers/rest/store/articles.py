"""Articles: list (filters, sort), create, get (with its article categories), update, delete, fill empty
images; topic generation (AI) answers 501 until the AI operations arrive."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.store.content import ARTICLE_FIELDS
from domain.store.validation import check_fields
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.common import (
    data,
    no_content,
    not_implemented,
    paginated,
    path_id,
    refuse_ai_flags,
    store_endpoint,
)
from resolvers.rest.store.store_json import article_json, list_params

FILTERS = ("search", "enabled", "generated", "article_category_id")


@store_endpoint("articles")
async def list_articles(request: Request, principal: Principal) -> Response:
    params = list_params(request, FILTERS)
    rows, total = await store_resolvers.list_articles(services_of(request), principal, params)
    return paginated(request, [article_json(a) for a in rows], total=total, page=params.page, per_page=params.per_page)


@store_endpoint("articles", write=True)
async def create_article(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: check_fields(body, ARTICLE_FIELDS, partial=False))
    view = await store_resolvers.create_article(services_of(request), principal, body)
    return data(article_json(view.article, view.categories), status=201)


@store_endpoint("articles")
async def get_article(request: Request, principal: Principal) -> Response:
    view = await store_resolvers.get_article(services_of(request), principal, path_id(request))
    return data(article_json(view.article, view.categories))


@store_endpoint("articles", write=True)
async def update_article(request: Request, principal: Principal) -> Response:
    article_id = path_id(request)
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: check_fields(body, ARTICLE_FIELDS, partial=True))
    view = await store_resolvers.update_article(services_of(request), principal, article_id, body)
    return data(article_json(view.article, view.categories))


@store_endpoint("articles", write=True)
async def delete_article(request: Request, principal: Principal) -> Response:
    await store_resolvers.delete_article(services_of(request), principal, path_id(request))
    return no_content()


@store_endpoint("articles", write=True)
async def fill_empty_images(request: Request, principal: Principal) -> Response:
    filled = await store_resolvers.fill_empty_images(services_of(request), principal, path_id(request))
    return data({"filled": filled})


routes = [
    Route("/api/articles", list_articles, methods=["GET"]),
    Route("/api/articles", create_article, methods=["POST"]),
    Route("/api/articles/generate-topics", not_implemented("Generating article topics (AI)"), methods=["POST"]),
    Route("/api/articles/{id}", get_article, methods=["GET"]),
    Route("/api/articles/{id}", update_article, methods=["PATCH"]),
    Route("/api/articles/{id}", delete_article, methods=["DELETE"]),
    Route("/api/articles/{id}/fill-empty-images", fill_empty_images, methods=["POST"]),
]
