"""Store API brands: ``/api/brands`` and the brand's products."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.catalog.repository import BrandFilter
from domain.catalog.rules import parse_includes
from resolvers import catalog
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.catalog_json import brand_json, paginated_window, product_json, query_bool, query_str, window
from resolvers.rest.store.common import data, no_content, not_implemented, path_id, store_endpoint


@store_endpoint("brands")
async def list_brands(request: Request, principal: Principal) -> Response:
    f = BrandFilter(search=query_str(request, "search"), enabled=query_bool(request, "enabled"))
    w = window(request, "brands")
    page, counts = await catalog.list_brands(services_of(request), principal, f, w)
    items = [brand_json(b, counts.get(b.id, 0)) for b in page.items]
    return paginated_window(request, items, page.total, w)


@store_endpoint("brands", write=True)
async def create_brand(request: Request, principal: Principal) -> Response:
    brand = await catalog.create_brand(services_of(request), principal, await read_json_object(request))
    return data(brand_json(brand, 0), status=201)


@store_endpoint("brands")
async def get_brand(request: Request, principal: Principal) -> Response:
    brand, count = await catalog.get_brand(services_of(request), principal, path_id(request))
    return data(brand_json(brand, count))


@store_endpoint("brands", write=True)
async def update_brand(request: Request, principal: Principal) -> Response:
    brand_id = path_id(request)
    body = await read_json_object(request)
    services = services_of(request)
    await catalog.update_brand(services, principal, brand_id, body)
    brand, count = await catalog.get_brand(services, principal, brand_id)
    return data(brand_json(brand, count))


@store_endpoint("brands", write=True)
async def delete_brand(request: Request, principal: Principal) -> Response:
    await catalog.delete_brand(services_of(request), principal, path_id(request))
    return no_content()


@store_endpoint("brands")
async def brand_products(request: Request, principal: Principal) -> Response:
    brand_id = path_id(request)
    w = window(request, "products")
    includes = parse_includes(request.query_params.get("include"))
    page, relations = await catalog.brand_products(services_of(request), principal, brand_id, w, includes)
    items = [product_json(p, relations) for p in page.items]
    return paginated_window(request, items, page.total, w)


routes = [
    Route("/api/brands/clean", not_implemented("AI brand cleaning (POST /api/brands/clean)"), methods=["POST"]),
    Route("/api/brands", list_brands, methods=["GET"]),
    Route("/api/brands", create_brand, methods=["POST"]),
    Route("/api/brands/{id}", get_brand, methods=["GET"]),
    Route("/api/brands/{id}", update_brand, methods=["PATCH"]),
    Route("/api/brands/{id}", delete_brand, methods=["DELETE"]),
    Route("/api/brands/{id}/products", brand_products, methods=["GET"]),
]
