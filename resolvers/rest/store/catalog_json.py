"""The store dialect's catalog bodies (shared by products, offers, categories and brands), as typed dicts: the
render functions return them, and the OpenAPI document describes them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar, NotRequired, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.rules import PRODUCT_SORT, ProductIncludes
from domain.catalog.service import ProductRelations, ProductService
from domain.catalog.taxonomy import CategoryCounts, TreeNode
from domain.paging import Page, SortSpec
from resolvers.rest.store.dialect import ListQuery, paginated, ts
from resolvers.rest.surface import Call

M = TypeVar("M", bound=BaseModel)


class Stamps(TypedDict):
    created_at: str
    updated_at: str


class BrandFields(TypedDict):
    id: int
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool


class BrandJson(BrandFields, Stamps):
    """A brand as a product includes it."""


class CountedBrandJson(BrandFields, Stamps):
    """A brand as the brands resource renders it."""

    products_count: int  # live products


class CategoryFields(TypedDict):
    id: int
    parent_id: int | None
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content_top: str | None
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool
    sort_order: int


class CategoryJson(CategoryFields, Stamps):
    """A category as a product lists it."""


class CountedCategoryJson(CategoryFields, Stamps):
    """A category as the categories resource renders it."""

    products_count: int  # live products
    children_count: int


class CategoryTreeJson(CountedCategoryJson):
    children: list[CategoryTreeJson]


class OfferJson(TypedDict):
    id: int
    uuid: str | None
    merchant: str
    merchant_offer_id: str
    merchant_product_id: str  # deprecated alias of merchant_offer_id
    title: str
    summary: str | None
    features: list[Any]
    currency: str | None
    price: float | None
    price_full: float | None
    min_price: float | None
    max_price: float | None
    condition: str | None
    stock_available: bool
    enabled: bool
    locale: str | None
    images: list[Any]
    url_detail: str
    created_at: str
    updated_at: str


class ProductFields(TypedDict):
    id: int
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    content_bottom: str | None
    highlights: list[Any]
    summary: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    review_quantity: int | None
    review_score: float | None
    enabled: bool
    in_sitemap: bool
    brand_id: int | None
    analytics_visits: int
    upc: str | None
    ean: str | None
    isbn: str | None
    mpn: str | None
    main_image_url: str | None
    generated: bool
    # The unified product's content-service fields (not in the store document).
    external_product_code: str | None
    market: str | None
    language: str | None
    variant_group_id: str | None
    keywords: list[Any]
    attributes: dict[str, Any]
    reviews: list[Any]


class ProductJson(ProductFields, Stamps):
    brand: NotRequired[BrandJson | None]  # with include=brand
    offers: NotRequired[list[OfferJson]]  # with include=offers
    categories: NotRequired[list[CategoryJson]]  # with include=categories


class AnalyticsJson(TypedDict):
    analytics_visits: int
    total_clicks: int
    affiliate_clicks: int


def _stamps(row: Brand | Category | Offer | Product) -> Stamps:
    return {"created_at": _ts(row.created_at), "updated_at": _ts(row.updated_at)}


def _ts(value: datetime) -> str:
    rendered = ts(value)
    assert rendered is not None
    return rendered


def _brand_fields(brand: Brand) -> BrandFields:
    return {
        "id": brand.id,
        "slug": brand.slug,
        "title": brand.title,
        "subtitle": brand.subtitle,
        "link_title": brand.link_title,
        "content": brand.content,
        "content_bottom": brand.content_bottom,
        "meta_title": brand.meta_title,
        "meta_keywords": brand.meta_keywords,
        "meta_description": brand.meta_description,
        "enabled": brand.enabled,
    }


def brand_json(brand: Brand) -> BrandJson:
    return {**_brand_fields(brand), **_stamps(brand)}


def counted_brand_json(brand: Brand, products_count: int) -> CountedBrandJson:
    return {**_brand_fields(brand), "products_count": products_count, **_stamps(brand)}


def _category_fields(category: Category) -> CategoryFields:
    return {
        "id": category.id,
        "parent_id": category.parent_id,
        "slug": category.slug,
        "title": category.title,
        "subtitle": category.subtitle,
        "link_title": category.link_title,
        "content_top": category.content_top,
        "content_bottom": category.content_bottom,
        "meta_title": category.meta_title,
        "meta_keywords": category.meta_keywords,
        "meta_description": category.meta_description,
        "enabled": category.enabled,
        "sort_order": category.sort_order,
    }


def category_json(category: Category) -> CategoryJson:
    return {**_category_fields(category), **_stamps(category)}


def counted_category_json(category: Category, counts: CategoryCounts) -> CountedCategoryJson:
    return {
        **_category_fields(category),
        "products_count": counts.products.get(category.id, 0),
        "children_count": counts.children.get(category.id, 0),
        **_stamps(category),
    }


def tree_json(node: TreeNode, counts: CategoryCounts) -> CategoryTreeJson:
    return {
        **counted_category_json(node.category, counts),
        "children": [tree_json(child, counts) for child in node.children],
    }


def offer_json(offer: Offer) -> OfferJson:
    return {
        "id": offer.id,
        "uuid": offer.uuid,
        "merchant": offer.merchant,
        "merchant_offer_id": offer.merchant_offer_id,
        "merchant_product_id": offer.merchant_product_id,
        "title": offer.title,
        "summary": offer.summary,
        "features": offer.features,
        "currency": offer.currency,
        "price": offer.price,
        "price_full": offer.price_full,
        "min_price": offer.min_price,
        "max_price": offer.max_price,
        "condition": offer.condition,
        "stock_available": offer.stock_available,
        "enabled": offer.enabled,
        "locale": offer.locale,
        "images": offer.images,
        "url_detail": offer.url_detail,
        **_stamps(offer),
    }


def product_json(product: Product, relations: ProductRelations | None = None) -> ProductJson:
    body: ProductJson = {
        "id": product.id,
        "slug": product.slug,
        "title": product.title,
        "subtitle": product.subtitle,
        "link_title": product.link_title,
        "content": product.content,
        "content_bottom": product.content_bottom,
        "highlights": product.highlights,
        "summary": product.summary,
        "meta_title": product.meta_title,
        "meta_keywords": product.meta_keywords,
        "meta_description": product.meta_description,
        "review_quantity": product.review_quantity,
        "review_score": product.review_score,
        "enabled": product.enabled,
        "in_sitemap": product.in_sitemap,
        "brand_id": product.brand_id,
        "analytics_visits": product.analytics_visits,
        "upc": product.upc,
        "ean": product.ean,
        "isbn": product.isbn,
        "mpn": product.mpn,
        "main_image_url": product.main_image_url,
        "generated": product.generated,
        "external_product_code": product.external_product_code,
        "market": product.market,
        "language": product.language,
        "variant_group_id": product.variant_group_id,
        "keywords": product.keywords,
        "attributes": product.attributes,
        "reviews": product.reviews,
        "created_at": _ts(product.created_at),
        "updated_at": _ts(product.updated_at),
    }
    if relations is not None:
        if "brand" in relations.included:
            brand = relations.brands.get(product.brand_id) if product.brand_id is not None else None
            body["brand"] = brand_json(brand) if brand is not None else None
        if relations.offers is not None:
            body["offers"] = [offer_json(o) for o in relations.offers.get(product.id, [])]
        if relations.categories is not None:
            body["categories"] = [category_json(c) for c in relations.categories.get(product.id, [])]
    return body


class ProductsQuery(ListQuery):
    """A list of products (any of them): paging, sorting, and the relations to include."""

    sorting: ClassVar[SortSpec | None] = PRODUCT_SORT

    include: ProductIncludes = Field(default="", validate_default=True)


async def product_page(
    call: Call, read: Callable[[AsyncSession], Awaitable[Page[Product]]], includes: frozenset[str]
) -> Response:
    """A page of products (any list of them) with the relations ``include`` asked for, in one read."""
    principal = await call.principal()

    async def run(session: AsyncSession) -> tuple[Page[Product], ProductRelations]:
        page = await read(session)
        return page, await ProductService(session).relations(principal, page.items, includes)

    page, relations = await call.scope.read(run)
    return paginated(call, [product_json(p, relations) for p in page.items], page)


async def body_of(
    call: Call,
    found: Callable[[AsyncSession], Awaitable[object]],
    model: type[M],
    body: dict[str, Any],
    *,
    partial: bool = True,
) -> M:
    """``body`` as ``model`` once ``found`` found the object the path names: as Laravel binds the model before it
    validates, the store API answers 404 for a missing object before it looks at the body."""
    await call.scope.read(found)
    return await call.scope.parse(model, body, partial=partial)
