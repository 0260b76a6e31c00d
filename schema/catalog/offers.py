"""Offers: the type, its list (filter, sort), and its mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from domain.catalog import models
from domain.catalog.commands import OfferCommand, OfferFilter, OfferProductsCommand
from domain.catalog.service import OfferService
from domain.db import UnitOfWork
from domain.paging import MAX_PAGE_SIZE
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.payloads import DeletePayload, delete_node
from schema.relay import Connection, Node, SortDirection, input_ids, int_id, list_connection
from schema.types import Info

if TYPE_CHECKING:
    from schema.catalog.products import Product

MANAGE = "store.offers.manage"


@strawberry.type(description="A merchant's offer for one or more products.")
class Offer(Node, FromModel):
    rest_id = "offer_id"

    offer_id: int = strawberry.field(description="The integer id the store REST API uses.")
    uuid: str | None
    merchant: str
    merchant_offer_id: str
    merchant_product_id: str = strawberry.field(deprecation_reason="Use merchantOfferId (the same value).")
    title: str
    summary: str | None
    features: JSON
    currency: str | None
    price: float | None
    price_full: float | None
    min_price: float | None
    max_price: float | None
    condition: str | None
    stock_available: bool
    enabled: bool
    locale: str | None
    images: JSON
    url_detail: str
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Offer | Row[Any]]  # a row of a ``*_row*`` read, as a product's relation

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: OfferService(s).get(p, int_id("Offer", raw_id))))

    @strawberry.field
    async def products(self, info: Info) -> list[Annotated[Product, strawberry.lazy("schema.catalog.products")]]:
        from schema.catalog.products import Product

        rows = await info.context.loaders.catalog.offer_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]


@strawberry.enum
class OfferSortField(Enum):
    ID = "id"
    TITLE = "title"
    MERCHANT = "merchant"
    PRICE = "price"
    PRICE_FULL = "price_full"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"
    STOCK_AVAILABLE = "stock_available"


@strawberry.input
class OfferSort:
    field: OfferSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input(name="OfferFilter")
class OfferFilterInput:
    search: str | None = None
    merchant: str | None = None
    enabled: bool | None = None
    product_id: strawberry.ID | None = None

    def domain(self) -> OfferFilter:
        return OfferFilter(
            search=self.search,
            merchant=self.merchant,
            enabled=self.enabled,
            product_id=int_id("Product", self.product_id) if self.product_id is not None else None,
        )


@strawberry.input
class OfferInput:
    merchant: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    uuid: str | None = strawberry.UNSET
    merchant_offer_id: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    features: JSON | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    price: float | None = strawberry.UNSET
    price_full: float | None = strawberry.UNSET
    min_price: float | None = strawberry.UNSET
    max_price: float | None = strawberry.UNSET
    condition: str | None = strawberry.UNSET
    stock_available: bool | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    images: JSON | None = strawberry.UNSET
    url_detail: str | None = strawberry.UNSET


@strawberry.type
class OfferPayload(Payload):
    offer: Offer | None = None


@strawberry.type
class OfferQuery:
    @strawberry.field
    async def offer(self, info: Info, id: strawberry.ID) -> Offer:
        return await Offer.resolve_node(info, id)

    @strawberry.field(description=f"The workspace's offers (newest first by default), at most {MAX_PAGE_SIZE} a page.")
    async def offers(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: OfferFilterInput | None = None,
        sort: OfferSort | None = None,
    ) -> Connection[Offer]:
        return await list_connection(
            info, OfferService, Offer.from_models, filter or OfferFilterInput(), first, after, sort
        )


@strawberry.type
class OfferMutation:
    @payload_mutation()
    async def create_offer(self, info: Info, input: OfferInput) -> OfferPayload:
        await info.context.require(MANAGE)
        cmd = await parse_input(info, OfferCommand, input)
        offer = await info.context.write(lambda uow, p: OfferService(uow.session).create(p, cmd))
        return OfferPayload(offer=Offer.from_model(offer))

    @payload_mutation()
    async def update_offer(self, info: Info, id: strawberry.ID, input: OfferInput) -> OfferPayload:
        await info.context.require(MANAGE)
        offer_id = int_id("Offer", id)
        cmd = await parse_input(info, OfferCommand, input, partial=True, subject=offer_id)
        offer = await info.context.write(lambda uow, p: OfferService(uow.session).update(p, offer_id, cmd))
        return OfferPayload(offer=Offer.from_model(offer))

    @payload_mutation()
    async def delete_offer(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await delete_node(info, "Offer", id, OfferService, permission=MANAGE)

    @payload_mutation(description="Replace every product link of the offer.")
    async def set_offer_products(self, info: Info, id: strawberry.ID, product_ids: list[strawberry.ID]) -> OfferPayload:
        principal = await info.context.require(MANAGE)
        offer_id = int_id("Offer", id)
        ids = input_ids("Product", product_ids, "product_ids")
        cmd = await info.context.scope.parse(OfferProductsCommand, {"product_ids": ids})

        async def write(uow: UnitOfWork) -> models.Offer:
            svc = OfferService(uow.session)
            await svc.set_products(principal, offer_id, cmd)
            return await svc.get(principal, offer_id)

        return OfferPayload(offer=Offer.from_model(await info.context.scope.write(write)))
