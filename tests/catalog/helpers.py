"""Catalog test helpers: API keys with chosen scopes, and catalog rows written through the domain services
(with commands parsed as a surface parses them)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from domain.catalog.commands import (
    BrandCommand,
    CategoryCommand,
    OfferCommand,
    OfferProductsCommand,
    ProductCategoriesCommand,
    ProductCommand,
)
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.service import OfferService, ProductService
from domain.catalog.taxonomy import BrandService, CategoryService
from domain.references import WorkspaceReferences
from domain.validation import parse
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

M = TypeVar("M", bound=BaseModel)

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


async def command(
    services: AppServices, ws: WorkspaceInfo, model: type[M], values: dict[str, Any], *, partial: bool = False
) -> M:
    async with services.read() as session:
        return await parse(model, values, partial=partial, refs=WorkspaceReferences(session, ws.workspace_id))


async def brand(services: AppServices, ws: WorkspaceInfo, **values: Any) -> Brand:
    cmd = await command(services, ws, BrandCommand, {"title": "Acme", **values})
    async with services.unit_of_work() as uow:
        return await BrandService(uow.session).create(ws.principal, cmd)


async def category(services: AppServices, ws: WorkspaceInfo, **values: Any) -> Category:
    cmd = await command(services, ws, CategoryCommand, {"title": "Electronics", **values})
    async with services.unit_of_work() as uow:
        return await CategoryService(uow.session).create(ws.principal, cmd)


async def _create_linked(
    services: AppServices, ws: WorkspaceInfo, service: Any, cmd: BaseModel, link: Any, links: BaseModel | None
) -> Any:
    """Creates through ``service`` and, given ``links``, replaces the new row's links with ``link`` in the
    same unit of work."""
    async with services.unit_of_work() as uow:
        svc = service(uow.session)
        created = await svc.create(ws.principal, cmd)
        if links is not None:
            await link(svc, ws.principal, created.id, links)
        return created


async def product(
    services: AppServices, ws: WorkspaceInfo, *, category_ids: list[int] | None = None, **values: Any
) -> Product:
    cmd = await command(services, ws, ProductCommand, {"title": "Example Product", **values})
    links = await command(services, ws, ProductCategoriesCommand, {"category_ids": category_ids or []})
    created: Product = await _create_linked(
        services, ws, ProductService, cmd, ProductService.set_categories, links if category_ids else None
    )
    return created


async def offer(
    services: AppServices, ws: WorkspaceInfo, *, product_ids: list[int] | None = None, **values: Any
) -> Offer:
    cmd = await command(services, ws, OfferCommand, {**OFFER_EXAMPLE, **values})
    links = await command(services, ws, OfferProductsCommand, {"product_ids": product_ids or []})
    created: Offer = await _create_linked(
        services, ws, OfferService, cmd, OfferService.set_products, links if product_ids else None
    )
    return created
