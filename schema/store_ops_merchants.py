"""Merchant catalogs in GraphQL: the workspace's merchant connections (credentials go in, never come out), the
enabled merchants, and the store API's merchant operations as mutations (``importMerchantLinks``,
``fillCategories``, ``refreshMerchantOffers``) whose input problems are ``userErrors``; follow the job with
``jobProgress``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.jobs.models import Job as JobModel
from domain.jobs.service import JobService
from domain.merchants.commands import FillCategoriesCommand, ImportLinksCommand
from domain.merchants.jobs import REFRESH_OFFERS, RefreshParams
from domain.merchants.ports import CredentialCipher
from domain.merchants.service import (
    MANAGE_CATEGORIES,
    MANAGE_PRODUCTS,
    MANAGE_SETTINGS,
    ConnectionView,
    FillSubmitted,
    ImportSubmitted,
    MerchantService,
    enabled_merchants,
    merchant_connections,
)
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation
from schema.jobs import Job
from schema.types import Info


def _cipher(info: Info) -> CredentialCipher | None:
    ports = info.context.services.providers.merchants
    return ports.cipher if ports is not None else None


@strawberry.type(description="How the workspace reaches a merchant. Credentials are stored encrypted and never shown.")
class MerchantConnection:
    merchant: str
    adapter: str = strawberry.field(description="amazon_paapi, ebay_browse or feed.")
    settings: JSON
    credential_names: list[str] = strawberry.field(description="Which credentials are stored (not their values).")
    updated_at: datetime

    @classmethod
    def of(cls, view: ConnectionView) -> MerchantConnection:
        return cls(
            merchant=view.merchant,
            adapter=view.adapter,
            settings=cast(JSON, view.settings),
            credential_names=view.credential_names,
            updated_at=view.updated_at,
        )


@strawberry.type(description="A merchant switched on in the store's offers settings.")
class EnabledMerchant:
    key: str
    name: str


@strawberry.type(description="What import-links said about one link.")
class MerchantLinkReport:
    link: str
    asin: str | None
    locale: str | None
    status: str = strawberry.field(description="importing, duplicate or failed.")
    reason: str | None
    product_id: int | None


@strawberry.input
class ConnectMerchantInput:
    merchant: str = strawberry.field(description="amazon, aliexpress, ebay, etsy or walmart.")
    adapter: str = strawberry.field(description="amazon_paapi, ebay_browse or feed.")
    settings: JSON = strawberry.field(
        default_factory=dict,
        description="amazon_paapi: partner_tag; ebay_browse: affiliate_campaign_id (optional); feed: source "
        "(a URL, or a file name in the operator's feed directory) and format (csv or json, optional).",
    )
    credentials: JSON = strawberry.field(
        default_factory=dict,
        description="amazon_paapi: access_key, secret_key; ebay_browse: client_id, client_secret; feed: none.",
    )


@strawberry.input
class ImportMerchantLinksInput:
    links: list[str]
    categories: list[int] | None = None
    generate_content: bool | None = None


@strawberry.input
class FillCategoriesInput:
    api_name: str
    locale: str
    categories: list[int] | None = None
    quantity: int | None = None
    generate_content: bool | None = None
    ai_relevance_check: bool | None = None


@strawberry.type
class ConnectMerchantPayload(Payload):
    connection: MerchantConnection | None = None


@strawberry.type
class DisconnectMerchantPayload(Payload):
    merchant: str | None = None


@strawberry.type
class ImportMerchantLinksPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")
    total: int | None = None
    importing: int | None = None
    duplicates: int | None = None
    failed: int | None = None
    links: list[MerchantLinkReport] | None = None


@strawberry.type
class FillCategoriesPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")
    categories_queued: int | None = None
    quantity_per_category: int | None = None
    credits_charged: int | None = None


@strawberry.type
class RefreshMerchantOffersPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")


@strawberry.type
class MerchantsQuery:
    @strawberry.field(description="The workspace's merchant connections.")
    async def merchant_connections(self, info: Info) -> list[MerchantConnection]:
        async def read(session: AsyncSession, principal: Principal) -> list[ConnectionView]:
            return await merchant_connections(session, principal)

        return [MerchantConnection.of(v) for v in await info.context.read(read)]

    @strawberry.field(description="The merchants enabled in the store's offers settings (as /api/offers/merchants).")
    async def enabled_merchants(self, info: Info) -> list[EnabledMerchant]:
        async def read(session: AsyncSession, principal: Principal) -> dict[str, str]:
            return await enabled_merchants(session, principal)

        found = await info.context.read(read)
        return [EnabledMerchant(key=k, name=v) for k, v in found.items()]


@strawberry.type
class MerchantsMutation:
    @payload_mutation(description="Connect (or reconnect) a merchant; credentials are stored encrypted.")
    async def connect_merchant(self, info: Info, input: ConnectMerchantInput) -> ConnectMerchantPayload:
        await info.context.require(MANAGE_SETTINGS)
        cipher = _cipher(info)
        settings = cast(dict[str, Any], input.settings) if isinstance(input.settings, dict) else {}
        credentials = cast(dict[str, Any], input.credentials) if isinstance(input.credentials, dict) else {}

        async def write(uow: UnitOfWork, principal: Principal) -> ConnectionView:
            return await MerchantService(uow, cipher=cipher).connect(
                principal, merchant=input.merchant, adapter=input.adapter, settings=settings, credentials=credentials
            )

        return ConnectMerchantPayload(connection=MerchantConnection.of(await info.context.write(write)))

    @payload_mutation(description="Remove the workspace's connection to a merchant.")
    async def disconnect_merchant(self, info: Info, merchant: str) -> DisconnectMerchantPayload:
        await info.context.require(MANAGE_SETTINGS)
        await info.context.write(lambda uow, p: MerchantService(uow).disconnect(p, merchant))
        return DisconnectMerchantPayload(merchant=merchant)

    @payload_mutation(description="Import products from Amazon links or ASINs (as POST /api/products/import-links).")
    async def import_merchant_links(self, info: Info, input: ImportMerchantLinksInput) -> ImportMerchantLinksPayload:
        await info.context.require(MANAGE_PRODUCTS)
        body: dict[str, Any] = {"links": input.links}
        if input.categories is not None:
            body["categories"] = input.categories
        if input.generate_content is not None:
            body["generate_content"] = input.generate_content
        command = parse_now(ImportLinksCommand, body)
        services = info.context.services
        cipher = _cipher(info)

        async def write(uow: UnitOfWork, principal: Principal) -> ImportSubmitted:
            svc = MerchantService(uow, cipher=cipher, chips_per_credit=services.chips_per_credit, plans=services.plans)
            return await svc.submit_import(principal, command, ai_available=not services.providers.offline)

        done = await info.context.write(write)
        counts = done.counts()
        return ImportMerchantLinksPayload(
            job=Job.from_model(done.job),
            total=counts["total"],
            importing=counts["importing"],
            duplicates=counts["duplicates"],
            failed=counts["failed"],
            links=[
                MerchantLinkReport(
                    link=r.link, asin=r.asin, locale=r.locale, status=r.status, reason=r.reason, product_id=r.product_id
                )
                for r in done.links
            ],
        )

    @payload_mutation(description="Fill categories with merchant products (as POST /api/categories/fill).")
    async def fill_categories(self, info: Info, input: FillCategoriesInput) -> FillCategoriesPayload:
        await info.context.require(MANAGE_CATEGORIES)
        body = {
            name: getattr(input, name)
            for name in ("api_name", "locale", "categories", "quantity", "generate_content", "ai_relevance_check")
            if getattr(input, name) is not None
        }
        command = parse_now(FillCategoriesCommand, body)
        services = info.context.services
        cipher = _cipher(info)

        async def write(uow: UnitOfWork, principal: Principal) -> FillSubmitted:
            svc = MerchantService(uow, cipher=cipher, chips_per_credit=services.chips_per_credit, plans=services.plans)
            return await svc.submit_fill(principal, command, ai_available=not services.providers.offline)

        done = await info.context.write(write)
        return FillCategoriesPayload(
            job=Job.from_model(done.job),
            categories_queued=done.categories_queued,
            quantity_per_category=done.quantity,
            credits_charged=done.credits,
        )

    @payload_mutation(
        description="Ask the connected merchants about every offer: price and stock are updated, and offers they "
        "no longer list are marked for the expired_offers clean."
    )
    async def refresh_merchant_offers(
        self, info: Info, merchants: list[str] | None = None
    ) -> RefreshMerchantOffersPayload:
        await info.context.require(MANAGE_PRODUCTS)
        params = RefreshParams(merchants=merchants or [])

        async def write(uow: UnitOfWork, principal: Principal) -> JobModel:
            principal.require(MANAGE_PRODUCTS)
            return await JobService(uow).create(principal, kind=REFRESH_OFFERS, params=params)

        return RefreshMerchantOffersPayload(job=Job.from_model(await info.context.write(write)))
