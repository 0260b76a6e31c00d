"""Catalog test helpers: API keys with chosen scopes, and catalog rows written through the domain services."""

from __future__ import annotations

from typing import Any

from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.service import OfferService, ProductService
from domain.catalog.taxonomy import BrandService, CategoryService
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

OFFER_EXAMPLE = {
    "merchant": "amazon",
    "merchant_offer_id": "B0GR52QJCF",
    "title": "Amazon Product",
    "url_detail": "https://www.amazon.com/dp/B0GR52QJCF",
}


async def make_key(services: AppServices, ws: WorkspaceInfo, scopes: list[str]) -> str:
    async with services.unit_of_work() as uow:
        created = await services.accounts(uow.session).create_api_key(ws.principal, name="test", scopes=scopes)
        return created.plaintext


async def brand(services: AppServices, ws: WorkspaceInfo, **values: Any) -> Brand:
    async with services.unit_of_work() as uow:
        return await BrandService(uow.session).create(ws.principal, {"title": "Acme", **values})


async def category(services: AppServices, ws: WorkspaceInfo, **values: Any) -> Category:
    async with services.unit_of_work() as uow:
        return await CategoryService(uow.session).create(ws.principal, {"title": "Electronics", **values})


async def product(
    services: AppServices, ws: WorkspaceInfo, *, category_ids: list[int] | None = None, **values: Any
) -> Product:
    async with services.unit_of_work() as uow:
        svc = ProductService(uow.session)
        created = await svc.create(ws.principal, {"title": "Example Product", **values})
        if category_ids:
            await svc.sync_categories(ws.principal, created.id, {"category_ids": category_ids})
        return created


async def offer(
    services: AppServices, ws: WorkspaceInfo, *, product_ids: list[int] | None = None, **values: Any
) -> Offer:
    async with services.unit_of_work() as uow:
        svc = OfferService(uow.session)
        created = await svc.create(ws.principal, {**OFFER_EXAMPLE, **values})
        if product_ids:
            await svc.sync_products(ws.principal, created.id, {"product_ids": product_ids})
        return created
