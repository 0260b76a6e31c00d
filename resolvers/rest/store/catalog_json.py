"""The store dialect's catalog bodies (shared by products, offers, categories and brands), as typed dicts: the
render functions return them, and the OpenAPI document describes them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NotRequired

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.service import ProductAnalytics, ProductRelations, ProductRowRelations, ProductService
from domain.catalog.taxonomy import CategoryCounts, TreeNode
from domain.paging import Page
from resolvers.rest.bodies import Body
from resolvers.rest.store.dialect import paginated, ts
from resolvers.rest.surface import Call


class Stamps(TypedDict):
    created_at: str
    updated_at: str


class TitledFields(TypedDict):
    """What the store document's brands, products and articles begin with."""

    id: int
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None


class BrandFields(TitledFields):
    content_bottom: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    enabled: bool


class BrandJson(BrandFields, Stamps):
    """A brand as a product includes it."""


class _BrandCounts(TypedDict):
    products_count: int  # live products


class CountedBrandJson(BrandFields, _BrandCounts, Stamps):
    """A brand as the brands resource renders it."""


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


class _CategoryCounts(TypedDict):
    products_count: int  # live products
    children_count: int


class CountedCategoryJson(CategoryFields, _CategoryCounts, Stamps):
    """A category as the categories resource renders it."""


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


class ProductFields(TitledFields):
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


brand_json = Body(Brand, BrandJson, stamp=ts)
category_json = Body(Category, CategoryJson, stamp=ts)
offer_json = Body(Offer, OfferJson, stamp=ts)
analytics_json = Body(ProductAnalytics, AnalyticsJson)
_COUNTED_BRAND = Body(Brand, CountedBrandJson, stamp=ts, passed={"products_count"})
_COUNTED_CATEGORY = Body(Category, CountedCategoryJson, stamp=ts, passed={"products_count", "children_count"})
_TREE = Body(Category, CategoryTreeJson, stamp=ts, passed={"products_count", "children_count", "children"})
_PRODUCT = Body(Product, ProductJson, stamp=ts)
# The same bodies from plain rows (``ProductService.page_rows``: no ORM objects on the hottest list).
_PRODUCT_ROW = Body(Row, ProductJson, stamp=ts)
_BRAND_ROW = Body(Row, BrandJson, stamp=ts)
_CATEGORY_ROW = Body(Row, CategoryJson, stamp=ts)
_OFFER_ROW = Body(Row, OfferJson, stamp=ts)


def counted_brand_json(brand: Brand, products_count: int) -> CountedBrandJson:
    return _COUNTED_BRAND(brand, products_count=products_count)


def counted_category_json(category: Category, counts: CategoryCounts) -> CountedCategoryJson:
    return _COUNTED_CATEGORY(category, **_counts(category, counts))


def tree_json(node: TreeNode, counts: CategoryCounts) -> CategoryTreeJson:
    children = [tree_json(child, counts) for child in node.children]
    return _TREE(node.category, **_counts(node.category, counts), children=children)


def _counts(category: Category, counts: CategoryCounts) -> dict[str, int]:
    return {
        "products_count": counts.products.get(category.id, 0),
        "children_count": counts.children.get(category.id, 0),
    }


def product_json(product: Product, relations: ProductRelations | None = None) -> ProductJson:
    if relations is None:
        return _PRODUCT(product)
    included: dict[str, Any] = {}
    if "brand" in relations.included:
        brand = relations.brands.get(product.brand_id) if product.brand_id is not None else None
        included["brand"] = brand_json(brand) if brand is not None else None
    if relations.offers is not None:
        included["offers"] = [offer_json(o) for o in relations.offers.get(product.id, [])]
    if relations.categories is not None:
        included["categories"] = [category_json(c) for c in relations.categories.get(product.id, [])]
    return _PRODUCT(product, **included)


def product_row_json(product: Row[Any], relations: ProductRowRelations) -> ProductJson:
    """``product_json`` from plain rows: the same body, byte for byte."""
    return _row_renderer(product, relations)(product)


def _row_renderer(first: Row[Any], relations: ProductRowRelations) -> Callable[[Row[Any]], ProductJson]:
    """What renders rows like ``first`` (of one result) with their relations. A product's id and brand are read
    by position (a ``Row`` read by attribute costs about a microsecond a name)."""
    fields = first._fields
    at_id, at_brand = fields.index("id"), fields.index("brand_id")
    with_brand = "brand" in relations.included
    brands, offers, categories = relations.brands, relations.offers, relations.categories

    def render(product: Row[Any]) -> ProductJson:
        included: dict[str, Any] = {}
        if with_brand:
            brand_id = product[at_brand]
            brand = brands.get(brand_id) if brand_id is not None else None
            included["brand"] = _BRAND_ROW(brand) if brand is not None else None
        if offers is not None:
            included["offers"] = [_OFFER_ROW(o) for o in offers.get(product[at_id], [])]
        if categories is not None:
            included["categories"] = [_CATEGORY_ROW(c) for c in categories.get(product[at_id], [])]
        return _PRODUCT_ROW(product, **included)

    return render


async def product_row_page(
    call: Call, read: Callable[[AsyncSession, Principal], Awaitable[Page[Row[Any]]]], includes: frozenset[str]
) -> Response:
    """``product_page`` for a read of plain rows (``ProductService.page_rows``)."""

    async def run(session: AsyncSession, principal: Principal) -> tuple[Page[Row[Any]], ProductRowRelations]:
        page = await read(session, principal)
        return page, await ProductService(session).relation_rows(principal, page.items, includes)

    page, relations = await call.read(run)
    if not page.items:
        return paginated(call, page, lambda product: product_row_json(product, relations))
    return paginated(call, page, _row_renderer(page.items[0], relations))


async def product_page(
    call: Call, read: Callable[[AsyncSession, Principal], Awaitable[Page[Product]]], includes: frozenset[str]
) -> Response:
    """A page of products (any list of them) with the relations ``include`` asked for, in one read."""

    async def run(session: AsyncSession, principal: Principal) -> tuple[Page[Product], ProductRelations]:
        page = await read(session, principal)
        return page, await ProductService(session).relations(principal, page.items, includes)

    page, relations = await call.read(run)
    return paginated(call, page, lambda product: product_json(product, relations))
