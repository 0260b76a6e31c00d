"""Store API offers: ``/api/offers``, the merchants and the offer's product links."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.catalog.commands import OfferCommand, OfferFilter, OfferProductsCommand
from domain.catalog.rules import OFFER_SORT
from domain.catalog.service import OfferService
from domain.merchants.service import enabled_merchants
from domain.paging import SortSpec
from resolvers.rest.store.catalog_json import OfferJson, ProductJson, offer_json, product_json
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
from resolvers.rest.store.params import BoolFilter, IdFilter, IdPath, ListQuery, TextFilter
from resolvers.rest.surface import Call, Router

router = Router(tags=["offers"])


async def _offer(session: AsyncSession, principal: Principal, path: IdPath) -> object:
    """The offer a path names, looked up before the body is read (a missing one answers 404 first)."""
    return await OfferService(session).get(principal, path.id)


READ = "store.offers.read"
MANAGE = "store.offers.manage"


class OfferListQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = OFFER_SORT

    search: TextFilter = Field(default=None, description="Only offers whose title contains this (any case).")
    merchant: TextFilter = Field(default=None, description="Only this merchant's offers.")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1/true) or disabled (0/false) offers.")
    product_id: IdFilter = Field(default=None, description="Only the offers for this product.")

    def filter(self) -> OfferFilter:
        return OfferFilter(search=self.search, merchant=self.merchant, enabled=self.enabled, product_id=self.product_id)


@router.get("/offers/merchants", permission=READ, response=Data[dict[str, str]])
async def merchants(call: Call) -> Response:
    """The merchants enabled in the store's offers settings (``offers_<merchant>_enabled``), with their names."""
    return data(await call.read(enabled_merchants))


@router.get("/offers", permission=READ, response=Paginated[OfferJson])
async def list_offers(call: Call, query: OfferListQuery) -> Response:
    """The store's offers (newest first by default)."""
    request = query.page_request()
    page = await call.read(lambda s, p: OfferService(s).page(p, query.filter(), request))
    return paginated(call, page, offer_json)


@router.post("/offers", permission=MANAGE, status=201, response=Data[OfferJson])
async def create_offer(call: Call, body: OfferCommand) -> Response:
    """Create an offer (``merchant_offer_id``, or its deprecated alias ``merchant_product_id``, is required)."""
    offer = await call.write(lambda uow, p: OfferService(uow.session).create(p, body))
    return data(offer_json(offer), status=201)


@router.get("/offers/{id}", permission=READ, response=Data[OfferJson])
async def get_offer(call: Call, path: IdPath) -> Response:
    """One offer."""
    return data(offer_json(await call.read(lambda s, p: OfferService(s).get(p, path.id))))


@router.patch("/offers/{id}", permission=MANAGE, response=Data[OfferJson], lookup=_offer)
async def update_offer(call: Call, path: IdPath, body: OfferCommand) -> Response:
    """Change the fields sent (those of an offer); the others keep their values."""
    offer = await call.write(lambda uow, p: OfferService(uow.session).update(p, path.id, body))
    return data(offer_json(offer))


@router.delete("/offers/{id}", permission=MANAGE, status=204)
async def delete_offer(call: Call, path: IdPath) -> Response:
    """Delete the offer and its product links."""
    await call.write(lambda uow, p: OfferService(uow.session).delete(p, path.id))
    return no_content()


@router.post("/offers/{id}/products", permission=MANAGE, response=Data[list[ProductJson]], lookup=_offer)
async def set_offer_products(call: Call, path: IdPath, body: OfferProductsCommand) -> Response:
    """Replace every product of the offer (``product_ids``; an empty list removes them all)."""
    products = await call.write(lambda uow, p: OfferService(uow.session).set_products(p, path.id, body))
    return data([product_json(p) for p in products])
