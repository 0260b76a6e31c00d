"""Store API products: ``/api/products`` and its sub-resources."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from domain.accounts.principal import Principal
from domain.catalog.commands import ProductCategoriesCommand, ProductCommand, ProductFilter
from domain.catalog.rules import OFFER_SORT
from domain.catalog.service import ProductService
from domain.paging import SortSpec
from resolvers.rest.store.catalog_json import (
    AnalyticsJson,
    CategoryJson,
    OfferJson,
    ProductJson,
    analytics_json,
    category_json,
    offer_json,
    product_json,
    product_row_page,
)
from resolvers.rest.store.dialect import Data, Paginated, data, no_content, paginated
from resolvers.rest.store.params import (
    BoolFilter,
    IdFilter,
    IdPath,
    ListQuery,
    ProductIncludes,
    ProductsQuery,
    TextFilter,
)
from resolvers.rest.surface import Call, Router

router = Router(tags=["products"])


async def _product(session: AsyncSession, principal: Principal, path: IdPath) -> object:
    """The product a path names, looked up before the body is read (a missing one answers 404 first)."""
    return await ProductService(session).get(principal, path.id)


READ = "store.products.read"
MANAGE = "store.products.manage"


class IncludeQuery(BaseModel):
    include: ProductIncludes = Field(default="", validate_default=True)


class ProductListQuery(ProductsQuery):
    search: TextFilter = Field(default=None, description="Only products whose title contains this (any case).")
    enabled: BoolFilter = Field(default=None, description="Only enabled (1/true) or disabled (0/false) products.")
    brand_id: IdFilter = Field(default=None, description="Only the products of this brand.")
    category_id: IdFilter = Field(default=None, description="Only the products in this category.")
    generated: BoolFilter = Field(default=None, description="Only generated (1/true) or other (0/false) products.")

    def filter(self) -> ProductFilter:
        return ProductFilter(self.search, self.enabled, self.brand_id, self.category_id, self.generated)


class OffersQuery(ListQuery):
    sorting: ClassVar[SortSpec | None] = OFFER_SORT


@router.get("/products", permission=READ, response=Paginated[ProductJson])
async def list_products(call: Call, query: ProductListQuery) -> Response:
    """The store's products (newest first by default)."""
    request = query.page_request()
    return await product_row_page(
        call, lambda s, p: ProductService(s).page_rows(p, query.filter(), request), query.include
    )


@router.post("/products", permission=MANAGE, status=201, response=Data[ProductJson])
async def create_product(call: Call, body: ProductCommand) -> Response:
    """Create a product; its slug is made from the title unless one is given."""
    product = await call.write(lambda uow, p: ProductService(uow.session).create(p, body))
    return data(product_json(product), status=201)


@router.get("/products/{id}", permission=READ, response=Data[ProductJson])
async def get_product(call: Call, path: IdPath, query: IncludeQuery) -> Response:
    """One product, with the relations ``include`` asks for."""

    async def read(session: AsyncSession, principal: Principal) -> ProductJson:
        svc = ProductService(session)
        product = await svc.get(principal, path.id)
        return product_json(product, await svc.relations(principal, [product], query.include))

    return data(await call.read(read))


@router.patch("/products/{id}", permission=MANAGE, response=Data[ProductJson], lookup=_product)
async def update_product(call: Call, path: IdPath, body: ProductCommand) -> Response:
    """Change the fields sent (those of a product); the others keep their values."""
    product = await call.write(lambda uow, p: ProductService(uow.session).update(p, path.id, body))
    return data(product_json(product))


@router.delete("/products/{id}", permission=MANAGE, status=204)
async def delete_product(call: Call, path: IdPath) -> Response:
    """Delete the product (its slug stays reserved)."""
    await call.write(lambda uow, p: ProductService(uow.session).delete(p, path.id))
    return no_content()


@router.get("/products/{id}/offers", permission=READ, response=Paginated[OfferJson])
async def product_offers(call: Call, path: IdPath, query: OffersQuery) -> Response:
    """The offers for the product (newest first by default)."""
    request = query.page_request()
    page = await call.read(lambda s, p: ProductService(s).offers(p, path.id, request))
    return paginated(call, page, offer_json)


@router.get("/products/{id}/categories", permission=READ, response=Data[list[CategoryJson]])
async def product_categories(call: Call, path: IdPath) -> Response:
    """The product's categories, in order."""
    categories = await call.read(lambda s, p: ProductService(s).categories(p, path.id))
    return data([category_json(c) for c in categories])


@router.post("/products/{id}/categories", permission=MANAGE, response=Data[list[CategoryJson]], lookup=_product)
async def set_product_categories(call: Call, path: IdPath, body: ProductCategoriesCommand) -> Response:
    """Replace every category of the product (``category_ids``; an empty list removes them all)."""
    categories = await call.write(lambda uow, p: ProductService(uow.session).set_categories(p, path.id, body))
    return data([category_json(c) for c in categories])


@router.get("/products/{id}/analytics", permission=READ, response=Data[AnalyticsJson])
async def product_analytics(call: Call, path: IdPath) -> Response:
    """The product's visit and click counters."""
    stats = await call.read(lambda s, p: ProductService(s).analytics(p, path.id))
    return data(analytics_json(stats))
