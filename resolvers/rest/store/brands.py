"""Store API brands: ``/api/brands`` and the brand's products."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.catalog.commands import BrandCommand, BrandFilter
from domain.catalog.models import Brand
from domain.catalog.rules import BRAND_SORT
from domain.catalog.taxonomy import BrandService
from domain.db import UnitOfWork
from domain.paging import SortSpec
from resolvers.rest.store.catalog_json import CountedBrandJson, ProductJson, counted_brand_json, product_page
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
from resolvers.rest.store.params import BoolFilter, IdPath, ListQuery, ProductsQuery, TextFilter
from resolvers.rest.surface import Call, Router

router = Router(tags=["brands"])


async def _brand(session: AsyncSession, principal: Principal, path: IdPath) -> object:
    """The brand a path names, looked up before the body is read (a missing one answers 404 first)."""
    return await BrandService(session).get(principal, path.id)


READ = "store.brands.read"
MANAGE = "store.brands.manage"


class BrandListQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = BRAND_SORT

    search: TextFilter = Field(default=None, description="Only brands whose title contains this (any case).")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1/true) or disabled (0/false) brands.")


async def _with_count(svc: BrandService, principal: Principal, brand: Brand) -> CountedBrandJson:
    counts = await svc.product_counts(principal, [brand.id])
    return counted_brand_json(brand, counts.get(brand.id, 0))


@router.get("/brands", permission=READ, response=Paginated[CountedBrandJson])
async def list_brands(call: Call, query: BrandListQuery) -> Response:
    """The store's brands (newest first by default), each with its number of products."""
    request = query.page_request()
    f = BrandFilter(search=query.search, enabled=query.enabled)

    async def read(session: AsyncSession, principal: Principal) -> Response:
        svc = BrandService(session)
        page = await svc.page(principal, f, request)
        counts = await svc.product_counts(principal, [b.id for b in page.items])
        return paginated(call, page, lambda b: counted_brand_json(b, counts.get(b.id, 0)))

    return await call.read(read)


@router.post("/brands", permission=MANAGE, status=201, response=Data[CountedBrandJson])
async def create_brand(call: Call, body: BrandCommand) -> Response:
    """Create a brand; its slug is made from the title unless one is given."""
    brand = await call.write(lambda uow, p: BrandService(uow.session).create(p, body))
    return data(counted_brand_json(brand, 0), status=201)


@router.get("/brands/{id}", permission=READ, response=Data[CountedBrandJson])
async def get_brand(call: Call, path: IdPath) -> Response:
    """One brand, with its number of products."""

    async def read(session: AsyncSession, principal: Principal) -> CountedBrandJson:
        svc = BrandService(session)
        return await _with_count(svc, principal, await svc.get(principal, path.id))

    return data(await call.read(read))


@router.patch("/brands/{id}", permission=MANAGE, response=Data[CountedBrandJson], lookup=_brand)
async def update_brand(call: Call, path: IdPath, body: BrandCommand) -> Response:
    """Change the fields sent (those of a brand); the others keep their values."""

    async def write(uow: UnitOfWork, principal: Principal) -> CountedBrandJson:
        svc = BrandService(uow.session)
        return await _with_count(svc, principal, await svc.update(principal, path.id, body))

    return data(await call.write(write))


@router.delete("/brands/{id}", permission=MANAGE, status=204)
async def delete_brand(call: Call, path: IdPath) -> Response:
    """Delete the brand; its products stay, without a brand."""
    await call.write(lambda uow, p: BrandService(uow.session).delete(p, path.id))
    return no_content()


@router.get("/brands/{id}/products", permission=READ, response=Paginated[ProductJson])
async def brand_products(call: Call, path: IdPath, query: ProductsQuery) -> Response:
    """The brand's products (newest first by default)."""
    request = query.page_request()
    return await product_page(call, lambda s, p: BrandService(s).products(p, path.id, request), query.include)
