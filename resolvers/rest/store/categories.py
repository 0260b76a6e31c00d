"""Store API categories: ``/api/categories``, the tree and the category's products."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.catalog import inputs
from domain.catalog.repository import ROOTS, CategoryFilter
from domain.catalog.rules import parse_includes
from resolvers import catalog
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.catalog_json import (
    category_json,
    paginated_window,
    product_json,
    query_bool,
    query_int,
    query_str,
    tree_json,
    window,
)
from resolvers.rest.store.common import (
    data,
    no_content,
    not_implemented,
    path_id,
    refuse_ai_flags,
    store_endpoint,
)


def _parent_filter(request: Request) -> int | str | None:
    if "parent_id" not in request.query_params:
        return None
    if request.query_params["parent_id"] == "":
        return ROOTS
    return query_int(request, "parent_id")


@store_endpoint("categories")
async def category_tree(request: Request, principal: Principal) -> Response:
    roots, counts = await catalog.category_tree(services_of(request), principal)
    return data([tree_json(node, counts) for node in roots])


@store_endpoint("categories")
async def list_categories(request: Request, principal: Principal) -> Response:
    f = CategoryFilter(
        search=query_str(request, "search"),
        enabled=query_bool(request, "enabled"),
        parent_id=_parent_filter(request),
    )
    w = window(request, "categories")
    page, counts = await catalog.list_categories(services_of(request), principal, f, w)
    items = [category_json(c, counts) for c in page.items]
    return paginated_window(request, items, page.total, w)


@store_endpoint("categories", write=True)
async def create_category(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: inputs.clean(inputs.CATEGORY_RULES, body, partial=False))
    services = services_of(request)
    created = await catalog.create_category(services, principal, body)
    category, counts = await catalog.get_category(services, principal, created.id)
    return data(category_json(category, counts), status=201)


@store_endpoint("categories")
async def get_category(request: Request, principal: Principal) -> Response:
    category, counts = await catalog.get_category(services_of(request), principal, path_id(request))
    return data(category_json(category, counts))


@store_endpoint("categories", write=True)
async def update_category(request: Request, principal: Principal) -> Response:
    category_id = path_id(request)
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: inputs.clean(inputs.CATEGORY_RULES, body, partial=True))
    services = services_of(request)
    await catalog.update_category(services, principal, category_id, body)
    category, counts = await catalog.get_category(services, principal, category_id)
    return data(category_json(category, counts))


@store_endpoint("categories", write=True)
async def delete_category(request: Request, principal: Principal) -> Response:
    await catalog.delete_category(services_of(request), principal, path_id(request))
    return no_content()


@store_endpoint("categories")
async def category_products(request: Request, principal: Principal) -> Response:
    category_id = path_id(request)
    w = window(request, "products")
    includes = parse_includes(request.query_params.get("include"))
    page, relations = await catalog.category_products(services_of(request), principal, category_id, w, includes)
    items = [product_json(p, relations) for p in page.items]
    return paginated_window(request, items, page.total, w)


routes = [
    Route(
        "/api/categories/fill",
        not_implemented("Filling categories from merchant APIs (POST /api/categories/fill)"),
        methods=["POST"],
    ),
    Route(
        "/api/categories/generate-list",
        not_implemented("AI category list generation (POST /api/categories/generate-list)"),
        methods=["POST"],
    ),
    Route("/api/categories/tree", category_tree, methods=["GET"]),
    Route("/api/categories", list_categories, methods=["GET"]),
    Route("/api/categories", create_category, methods=["POST"]),
    Route("/api/categories/{id}", get_category, methods=["GET"]),
    Route("/api/categories/{id}", update_category, methods=["PATCH"]),
    Route("/api/categories/{id}", delete_category, methods=["DELETE"]),
    Route("/api/categories/{id}/products", category_products, methods=["GET"]),
]
