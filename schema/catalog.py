"""The catalog's GraphQL root fields: queries with Relay connections, and mutations with userErrors."""

from __future__ import annotations

from typing import Any

import strawberry

from domain.accounts.principal import Principal
from domain.catalog.inputs import INT_MAX
from domain.catalog.repository import ROOTS, BrandFilter, CategoryFilter, OfferFilter, ProductFilter
from domain.catalog.rules import parse_sort
from domain.errors import InvalidInput, NotFound
from resolvers import catalog
from resolvers.catalog import Window
from resolvers.context import AppServices
from resolvers.graphql import Context
from schema.catalog_types import (
    Brand,
    BrandConnection,
    BrandEdge,
    BrandFilterInput,
    BrandInput,
    BrandPayload,
    BrandSort,
    Category,
    CategoryConnection,
    CategoryEdge,
    CategoryFilterInput,
    CategoryInput,
    CategoryPayload,
    CategorySort,
    DeletePayload,
    Offer,
    OfferConnection,
    OfferEdge,
    OfferFilterInput,
    OfferInput,
    OfferPayload,
    OfferSort,
    Product,
    ProductConnection,
    ProductEdge,
    ProductFilterInput,
    ProductInput,
    ProductPayload,
    ProductSort,
    provided,
)
from schema.errors import attempt, call
from schema.node import Node, int_id, node_resolver, to_global_id
from schema.paging import MAX_PAGE, decode_offset, encode_offset
from schema.paging import offset_page_info as page_info

Info = strawberry.Info[Context, None]


def input_id(type_name: str, value: str | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        return int_id(type_name, value)
    except NotFound:
        raise InvalidInput.field(field, f"The selected {field.replace('_', ' ')} is invalid.") from None


def window(resource: str, first: int, after: str | None, sort_field: str | None, direction: str | None) -> Window:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput.field("first", f"first must be between 1 and {MAX_PAGE}.")
    offset = 0
    if after is not None:
        position = decode_offset(after)
        if position is None:
            raise InvalidInput.field("after", "Unknown cursor.")
        offset = position + 1
    return Window(sort=parse_sort(resource, sort_field, direction), offset=offset, limit=first)


def _values(obj: Any, ids: dict[str, str]) -> dict[str, Any]:
    """The sent fields, with global ids (``field -> type``) turned into integer ids."""
    values = provided(obj)
    for field, type_name in ids.items():
        if field in values:
            values[field] = input_id(type_name, values[field], field)
    return values


def _catalog_id(raw: str) -> int:
    if not raw.isdigit() or int(raw) > INT_MAX:
        raise NotFound("No object with this id.")
    return int(raw)


@node_resolver("Product")
async def _product_node(services: AppServices, p: Principal, raw: str) -> Node:
    product, _ = await catalog.get_product(services, p, _catalog_id(raw))
    return Product.from_model(product)


@node_resolver("Brand")
async def _brand_node(services: AppServices, p: Principal, raw: str) -> Node:
    brand, _count = await catalog.get_brand(services, p, _catalog_id(raw))
    return Brand.from_model(brand)


@node_resolver("Category")
async def _category_node(services: AppServices, p: Principal, raw: str) -> Node:
    category, _counts = await catalog.get_category(services, p, _catalog_id(raw))
    return Category.from_model(category)


@node_resolver("Offer")
async def _offer_node(services: AppServices, p: Principal, raw: str) -> Node:
    return Offer.from_model(await catalog.get_offer(services, p, _catalog_id(raw)))


@strawberry.type
class CatalogQuery:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product:
        p = await call(info.context.principal)

        async def run() -> Product:
            product, _ = await catalog.get_product(info.context.services, p, int_id("Product", id))
            return Product.from_model(product)

        return await call(run)

    @strawberry.field(description=f"The workspace's products (newest first by default), at most {MAX_PAGE} a page.")
    async def products(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ProductFilterInput | None = None,
        sort: ProductSort | None = None,
    ) -> ProductConnection:
        p = await call(info.context.principal)

        async def run() -> ProductConnection:
            f = filter or ProductFilterInput()
            w = window(
                "products", first, after, sort.field.value if sort else None, sort.direction.value if sort else None
            )
            flt = ProductFilter(
                search=f.search,
                enabled=f.enabled,
                brand_id=int_id("Brand", f.brand_id) if f.brand_id is not None else None,
                category_id=int_id("Category", f.category_id) if f.category_id is not None else None,
                generated=f.generated,
            )
            page, _ = await catalog.list_products(info.context.services, p, flt, w)
            edges = [
                ProductEdge(cursor=encode_offset(w.offset + i), node=Product.from_model(x))
                for i, x in enumerate(page.items)
            ]
            return ProductConnection(
                edges=edges, page_info=page_info(w.offset, len(edges), page.total), total_count=page.total
            )

        return await call(run)

    @strawberry.field
    async def brand(self, info: Info, id: strawberry.ID) -> Brand:
        p = await call(info.context.principal)

        async def run() -> Brand:
            brand, _ = await catalog.get_brand(info.context.services, p, int_id("Brand", id))
            return Brand.from_model(brand)

        return await call(run)

    @strawberry.field(description=f"The workspace's brands, at most {MAX_PAGE} a page.")
    async def brands(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: BrandFilterInput | None = None,
        sort: BrandSort | None = None,
    ) -> BrandConnection:
        p = await call(info.context.principal)

        async def run() -> BrandConnection:
            f = filter or BrandFilterInput()
            w = window(
                "brands", first, after, sort.field.value if sort else None, sort.direction.value if sort else None
            )
            page, _ = await catalog.list_brands(
                info.context.services, p, BrandFilter(search=f.search, enabled=f.enabled), w
            )
            edges = [
                BrandEdge(cursor=encode_offset(w.offset + i), node=Brand.from_model(x))
                for i, x in enumerate(page.items)
            ]
            return BrandConnection(
                edges=edges, page_info=page_info(w.offset, len(edges), page.total), total_count=page.total
            )

        return await call(run)

    @strawberry.field
    async def category(self, info: Info, id: strawberry.ID) -> Category:
        p = await call(info.context.principal)

        async def run() -> Category:
            category, _ = await catalog.get_category(info.context.services, p, int_id("Category", id))
            return Category.from_model(category)

        return await call(run)

    @strawberry.field(description=f"The workspace's categories (by sort order), at most {MAX_PAGE} a page.")
    async def categories(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: CategoryFilterInput | None = None,
        sort: CategorySort | None = None,
    ) -> CategoryConnection:
        p = await call(info.context.principal)

        async def run() -> CategoryConnection:
            f = filter or CategoryFilterInput()
            w = window(
                "categories", first, after, sort.field.value if sort else None, sort.direction.value if sort else None
            )
            parent: int | str | None = ROOTS if f.roots_only else None
            if f.parent_id is not None:
                parent = int_id("Category", f.parent_id)
            flt = CategoryFilter(search=f.search, enabled=f.enabled, parent_id=parent)
            page, _ = await catalog.list_categories(info.context.services, p, flt, w)
            edges = [
                CategoryEdge(cursor=encode_offset(w.offset + i), node=Category.from_model(x))
                for i, x in enumerate(page.items)
            ]
            return CategoryConnection(
                edges=edges, page_info=page_info(w.offset, len(edges), page.total), total_count=page.total
            )

        return await call(run)

    @strawberry.field(description="The root categories; walk down through children.")
    async def category_tree(self, info: Info) -> list[Category]:
        p = await call(info.context.principal)
        roots, _ = await call(lambda: catalog.category_tree(info.context.services, p))
        return [Category.from_model(node.category) for node in roots]

    @strawberry.field
    async def offer(self, info: Info, id: strawberry.ID) -> Offer:
        p = await call(info.context.principal)
        return Offer.from_model(await call(lambda: catalog.get_offer(info.context.services, p, int_id("Offer", id))))

    @strawberry.field(description=f"The workspace's offers (newest first by default), at most {MAX_PAGE} a page.")
    async def offers(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: OfferFilterInput | None = None,
        sort: OfferSort | None = None,
    ) -> OfferConnection:
        p = await call(info.context.principal)

        async def run() -> OfferConnection:
            f = filter or OfferFilterInput()
            w = window(
                "offers", first, after, sort.field.value if sort else None, sort.direction.value if sort else None
            )
            flt = OfferFilter(
                search=f.search,
                merchant=f.merchant,
                enabled=f.enabled,
                product_id=int_id("Product", f.product_id) if f.product_id is not None else None,
            )
            page = await catalog.list_offers(info.context.services, p, flt, w)
            edges = [
                OfferEdge(cursor=encode_offset(w.offset + i), node=Offer.from_model(x))
                for i, x in enumerate(page.items)
            ]
            return OfferConnection(
                edges=edges, page_info=page_info(w.offset, len(edges), page.total), total_count=page.total
            )

        return await call(run)


PRODUCT_IDS = {"brand_id": "Brand"}
CATEGORY_IDS = {"parent_id": "Category"}


@strawberry.type
class CatalogMutation:
    # ---- products

    @strawberry.mutation
    async def create_product(self, info: Info, input: ProductInput) -> ProductPayload:
        p = await call(info.context.principal)
        services = info.context.services
        product, errors = await attempt(lambda: catalog.create_product(services, p, _values(input, PRODUCT_IDS)))
        return ProductPayload(product=Product.from_model(product) if product else None, user_errors=errors)

    @strawberry.mutation(description="Change the fields sent; the others keep their values.")
    async def update_product(self, info: Info, id: strawberry.ID, input: ProductInput) -> ProductPayload:
        p = await call(info.context.principal)
        services = info.context.services
        product, errors = await attempt(
            lambda: catalog.update_product(services, p, int_id("Product", id), _values(input, PRODUCT_IDS))
        )
        return ProductPayload(product=Product.from_model(product) if product else None, user_errors=errors)

    @strawberry.mutation(description="Soft-deletes the product.")
    async def delete_product(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            product_id = int_id("Product", id)
            await catalog.delete_product(info.context.services, p, product_id)
            return to_global_id("Product", product_id)

        deleted, errors = await attempt(run)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation(description="Replace every category of the product.")
    async def set_product_categories(
        self, info: Info, id: strawberry.ID, category_ids: list[strawberry.ID]
    ) -> ProductPayload:
        p = await call(info.context.principal)
        services = info.context.services

        async def run() -> Product:
            product_id = int_id("Product", id)
            ids = [input_id("Category", c, f"category_ids.{i}") for i, c in enumerate(category_ids)]
            await catalog.sync_product_categories(services, p, product_id, {"category_ids": ids})
            product, _ = await catalog.get_product(services, p, product_id)
            return Product.from_model(product)

        product, errors = await attempt(run)
        return ProductPayload(product=product, user_errors=errors)

    # ---- brands

    @strawberry.mutation
    async def create_brand(self, info: Info, input: BrandInput) -> BrandPayload:
        p = await call(info.context.principal)
        brand, errors = await attempt(lambda: catalog.create_brand(info.context.services, p, provided(input)))
        return BrandPayload(brand=Brand.from_model(brand) if brand else None, user_errors=errors)

    @strawberry.mutation
    async def update_brand(self, info: Info, id: strawberry.ID, input: BrandInput) -> BrandPayload:
        p = await call(info.context.principal)
        brand, errors = await attempt(
            lambda: catalog.update_brand(info.context.services, p, int_id("Brand", id), provided(input))
        )
        return BrandPayload(brand=Brand.from_model(brand) if brand else None, user_errors=errors)

    @strawberry.mutation(description="Deletes the brand; its products keep existing without a brand.")
    async def delete_brand(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            brand_id = int_id("Brand", id)
            await catalog.delete_brand(info.context.services, p, brand_id)
            return to_global_id("Brand", brand_id)

        deleted, errors = await attempt(run)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    # ---- categories

    @strawberry.mutation
    async def create_category(self, info: Info, input: CategoryInput) -> CategoryPayload:
        p = await call(info.context.principal)
        services = info.context.services
        category, errors = await attempt(lambda: catalog.create_category(services, p, _values(input, CATEGORY_IDS)))
        return CategoryPayload(category=Category.from_model(category) if category else None, user_errors=errors)

    @strawberry.mutation(description="A parent that is the category itself or one of its descendants is refused.")
    async def update_category(self, info: Info, id: strawberry.ID, input: CategoryInput) -> CategoryPayload:
        p = await call(info.context.principal)
        services = info.context.services
        category, errors = await attempt(
            lambda: catalog.update_category(services, p, int_id("Category", id), _values(input, CATEGORY_IDS))
        )
        return CategoryPayload(category=Category.from_model(category) if category else None, user_errors=errors)

    @strawberry.mutation(description="Deletes the category; its children move up to its parent.")
    async def delete_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            category_id = int_id("Category", id)
            await catalog.delete_category(info.context.services, p, category_id)
            return to_global_id("Category", category_id)

        deleted, errors = await attempt(run)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    # ---- offers

    @strawberry.mutation
    async def create_offer(self, info: Info, input: OfferInput) -> OfferPayload:
        p = await call(info.context.principal)
        offer, errors = await attempt(lambda: catalog.create_offer(info.context.services, p, provided(input)))
        return OfferPayload(offer=Offer.from_model(offer) if offer else None, user_errors=errors)

    @strawberry.mutation
    async def update_offer(self, info: Info, id: strawberry.ID, input: OfferInput) -> OfferPayload:
        p = await call(info.context.principal)
        offer, errors = await attempt(
            lambda: catalog.update_offer(info.context.services, p, int_id("Offer", id), provided(input))
        )
        return OfferPayload(offer=Offer.from_model(offer) if offer else None, user_errors=errors)

    @strawberry.mutation
    async def delete_offer(self, info: Info, id: strawberry.ID) -> DeletePayload:
        p = await call(info.context.principal)

        async def run() -> strawberry.ID:
            offer_id = int_id("Offer", id)
            await catalog.delete_offer(info.context.services, p, offer_id)
            return to_global_id("Offer", offer_id)

        deleted, errors = await attempt(run)
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation(description="Replace every product link of the offer.")
    async def set_offer_products(self, info: Info, id: strawberry.ID, product_ids: list[strawberry.ID]) -> OfferPayload:
        p = await call(info.context.principal)
        services = info.context.services

        async def run() -> Offer:
            offer_id = int_id("Offer", id)
            ids = [input_id("Product", x, f"product_ids.{i}") for i, x in enumerate(product_ids)]
            await catalog.sync_offer_products(services, p, offer_id, {"product_ids": ids})
            return Offer.from_model(await catalog.get_offer(services, p, offer_id))

        offer, errors = await attempt(run)
        return OfferPayload(offer=offer, user_errors=errors)
