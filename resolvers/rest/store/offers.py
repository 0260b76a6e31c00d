"""Store API offers: ``/api/offers``, merchants and the offer's product links."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.catalog.repository import OfferFilter
from resolvers import catalog
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.catalog_json import (
    offer_json,
    paginated_window,
    product_json,
    query_bool,
    query_int,
    query_str,
    window,
)
from resolvers.rest.store.common import data, no_content, path_id, store_endpoint


@store_endpoint("offers")
async def merchants(request: Request, principal: Principal) -> Response:
    return data(await catalog.offer_merchants(services_of(request), principal))


@store_endpoint("offers")
async def list_offers(request: Request, principal: Principal) -> Response:
    f = OfferFilter(
        search=query_str(request, "search"),
        merchant=query_str(request, "merchant"),
        enabled=query_bool(request, "enabled"),
        product_id=query_int(request, "product_id"),
    )
    w = window(request, "offers")
    page = await catalog.list_offers(services_of(request), principal, f, w)
    items = [offer_json(o) for o in page.items]
    return paginated_window(request, items, page.total, w)


@store_endpoint("offers", write=True)
async def create_offer(request: Request, principal: Principal) -> Response:
    offer = await catalog.create_offer(services_of(request), principal, await read_json_object(request))
    return data(offer_json(offer), status=201)


@store_endpoint("offers")
async def get_offer(request: Request, principal: Principal) -> Response:
    return data(offer_json(await catalog.get_offer(services_of(request), principal, path_id(request))))


@store_endpoint("offers", write=True)
async def update_offer(request: Request, principal: Principal) -> Response:
    offer_id = path_id(request)
    body = await read_json_object(request)
    return data(offer_json(await catalog.update_offer(services_of(request), principal, offer_id, body)))


@store_endpoint("offers", write=True)
async def delete_offer(request: Request, principal: Principal) -> Response:
    await catalog.delete_offer(services_of(request), principal, path_id(request))
    return no_content()


@store_endpoint("offers", write=True)
async def sync_offer_products(request: Request, principal: Principal) -> Response:
    offer_id = path_id(request)
    body = await read_json_object(request)
    products = await catalog.sync_offer_products(services_of(request), principal, offer_id, body)
    return data([product_json(p) for p in products])


routes = [
    Route("/api/offers/merchants", merchants, methods=["GET"]),
    Route("/api/offers", list_offers, methods=["GET"]),
    Route("/api/offers", create_offer, methods=["POST"]),
    Route("/api/offers/{id}", get_offer, methods=["GET"]),
    Route("/api/offers/{id}", update_offer, methods=["PATCH"]),
    Route("/api/offers/{id}", delete_offer, methods=["DELETE"]),
    Route("/api/offers/{id}/products", sync_offer_products, methods=["POST"]),
]
