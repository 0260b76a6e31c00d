"""Pages: list (search, key, enabled; the homepage page exists from the first request), create, get,
update, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.store.content import PAGE_FIELDS
from domain.store.validation import check_fields
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.common import data, no_content, paginated, path_id, refuse_ai_flags, store_endpoint
from resolvers.rest.store.store_json import list_params, page_json

FILTERS = ("search", "enabled", "key")


@store_endpoint("pages")
async def list_pages(request: Request, principal: Principal) -> Response:
    params = list_params(request, FILTERS)
    rows, total = await store_resolvers.list_pages(services_of(request), principal, params)
    return paginated(request, [page_json(p) for p in rows], total=total, page=params.page, per_page=params.per_page)


@store_endpoint("pages", write=True)
async def create_page(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: check_fields(body, PAGE_FIELDS, partial=False))
    return data(page_json(await store_resolvers.create_page(services_of(request), principal, body)), status=201)


@store_endpoint("pages")
async def get_page(request: Request, principal: Principal) -> Response:
    return data(page_json(await store_resolvers.get_page(services_of(request), principal, path_id(request))))


@store_endpoint("pages", write=True)
async def update_page(request: Request, principal: Principal) -> Response:
    page_id = path_id(request)
    body = await read_json_object(request)
    refuse_ai_flags(body, lambda: check_fields(body, PAGE_FIELDS, partial=True))
    return data(page_json(await store_resolvers.update_page(services_of(request), principal, page_id, body)))


@store_endpoint("pages", write=True)
async def delete_page(request: Request, principal: Principal) -> Response:
    await store_resolvers.delete_page(services_of(request), principal, path_id(request))
    return no_content()


routes = [
    Route("/api/pages", list_pages, methods=["GET"]),
    Route("/api/pages", create_page, methods=["POST"]),
    Route("/api/pages/{id}", get_page, methods=["GET"]),
    Route("/api/pages/{id}", update_page, methods=["PATCH"]),
    Route("/api/pages/{id}", delete_page, methods=["DELETE"]),
]
