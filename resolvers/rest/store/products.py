"""Store API products: ``/api/products`` and its sub-resources."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.catalog.repository import ProductFilter
from domain.catalog.rules import parse_includes
from resolvers import catalog
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.catalog_json import (
    category_json,
    offer_json,
    paginated_window,
    product_json,
    query_bool,
    query_int,
    query_str,
    window,
)
from resolvers.rest.store.common import data, no_content, not_implemented, path_id, store_endpoint


def _includes(request: Request) -> frozenset[str]:
    return parse_includes(request.query_params.get("include"))


@store_endpoint("products")
async def list_products(request: Request, principal: Principal) -> Response:
    f = ProductFilter(
        search=query_str(request, "search"),
        enabled=query_bool(request, "enabled"),
        brand_id=query_int(request, "brand_id"),
        category_id=query_int(request, "category_id"),
        generated=query_bool(request, "generated"),
    )
    w = window(request, "products")
    includes = _includes(request)
    page, relations = await catalog.list_products(services_of(request), principal, f, w, includes)
    items = [product_json(p, relations) for p in page.items]
    return paginated_window(request, items, page.total, w)


@store_endpoint("products", write=True)
async def create_product(request: Request, principal: Principal) -> Response:
    product = await catalog.create_product(services_of(request), principal, await read_json_object(request))
    return data(product_json(product), status=201)


@store_endpoint("products")
async def get_product(request: Request, principal: Principal) -> Response:
    includes = _includes(request)
    product, relations = await catalog.get_product(services_of(request), principal, path_id(request), includes)
    return data(product_json(product, relations))


@store_endpoint("products", write=True)
async def update_product(request: Request, principal: Principal) -> Response:
    product_id = path_id(request)
    body = await read_json_object(request)
    product = await catalog.update_product(services_of(request), principal, product_id, body)
    return data(product_json(product))


@store_endpoint("products", write=True)
async def delete_product(request: Request, principal: Principal) -> Response:
    await catalog.delete_product(services_of(request), principal, path_id(request))
    return no_content()


@store_endpoint("products")
async def product_offers(request: Request, principal: Principal) -> Response:
    product_id = path_id(request)
    w = window(request, "offers")
    page = await catalog.product_offers(services_of(request), principal, product_id, w)
    items = [offer_json(o) for o in page.items]
    return paginated_window(request, items, page.total, w)


@store_endpoint("products")
async def product_categories(request: Request, principal: Principal) -> Response:
    categories = await catalog.product_categories(services_of(request), principal, path_id(request))
    return data([category_json(c) for c in categories])


@store_endpoint("products", write=True)
async def sync_product_categories(request: Request, principal: Principal) -> Response:
    product_id = path_id(request)
    body = await read_json_object(request)
    categories = await catalog.sync_product_categories(services_of(request), principal, product_id, body)
    return data([category_json(c) for c in categories])


@store_endpoint("products")
async def product_analytics(request: Request, principal: Principal) -> Response:
    stats = await catalog.product_analytics(services_of(request), principal, path_id(request))
    return data(
        {
            "analytics_visits": stats.analytics_visits,
            "total_clicks": stats.total_clicks,
            "affiliate_clicks": stats.affiliate_clicks,
        }
    )


routes = [
    Route(
        "/api/products/import-links",
        not_implemented("Importing products from links (POST /api/products/import-links)"),
        methods=["POST"],
    ),
    Route("/api/products", list_products, methods=["GET"]),
    Route("/api/products", create_product, methods=["POST"]),
    Route("/api/products/{id}", get_product, methods=["GET"]),
    Route("/api/products/{id}", update_product, methods=["PATCH"]),
    Route("/api/products/{id}", delete_product, methods=["DELETE"]),
    Route("/api/products/{id}/offers", product_offers, methods=["GET"]),
    Route("/api/products/{id}/categories", product_categories, methods=["GET"]),
    Route("/api/products/{id}/categories", sync_product_categories, methods=["POST"]),
    Route("/api/products/{id}/analytics", product_analytics, methods=["GET"]),
]
