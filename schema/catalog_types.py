"""Catalog object types: Product, Brand, Category, Offer. Relations resolve through the per-request loaders."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.catalog import models
from resolvers.catalog_loaders import CatalogLoaders
from resolvers.graphql import Context
from schema.errors import UserError
from schema.node import Node, to_global_id
from schema.payloads import DeletePayload as DeletePayload  # TRANSITION: re-exported for the store schema
from schema.relay import PageInfo

Info = strawberry.Info[Context, None]


def _loaders(info: Info) -> CatalogLoaders:
    loaders: CatalogLoaders = info.context.loaders.catalog
    return loaders


@strawberry.type(description="A store brand.")
class Brand(Node):
    brand_id: int = strawberry.field(description="The integer id the store REST API uses.")
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
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Brand]

    @strawberry.field(description="Live (not deleted) products of this brand.")
    async def products_count(self, info: Info) -> int:
        return await _loaders(info).brand_products_count.load((self.model.workspace_id, self.model.id))

    @strawberry.field(description="The brand's products, newest first.")
    async def products(self, info: Info) -> list[Product]:
        rows = await _loaders(info).brand_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]

    @classmethod
    def from_model(cls, brand: models.Brand) -> Brand:
        return cls(
            id=to_global_id("Brand", brand.id),
            brand_id=brand.id,
            slug=brand.slug,
            title=brand.title,
            subtitle=brand.subtitle,
            link_title=brand.link_title,
            content=brand.content,
            content_bottom=brand.content_bottom,
            meta_title=brand.meta_title,
            meta_keywords=brand.meta_keywords,
            meta_description=brand.meta_description,
            enabled=brand.enabled,
            created_at=brand.created_at,
            updated_at=brand.updated_at,
            model=brand,
        )


@strawberry.type(description="A product category; categories form a tree through their parent.")
class Category(Node):
    category_id: int = strawberry.field(description="The integer id the store REST API uses.")
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
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Category]

    @strawberry.field
    async def parent(self, info: Info) -> Category | None:
        if self.model.parent_id is None:
            return None
        parent = await _loaders(info).category.load((self.model.workspace_id, self.model.parent_id))
        return Category.from_model(parent) if parent is not None else None

    @strawberry.field
    async def children(self, info: Info) -> list[Category]:
        rows = await _loaders(info).category_children.load((self.model.workspace_id, self.model.id))
        return [Category.from_model(c) for c in rows]

    @strawberry.field(description="The category's live products, newest first.")
    async def products(self, info: Info) -> list[Product]:
        rows = await _loaders(info).category_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]

    @strawberry.field
    async def products_count(self, info: Info) -> int:
        return await _loaders(info).category_products_count.load((self.model.workspace_id, self.model.id))

    @strawberry.field
    async def children_count(self, info: Info) -> int:
        return await _loaders(info).category_children_count.load((self.model.workspace_id, self.model.id))

    @classmethod
    def from_model(cls, category: models.Category) -> Category:
        return cls(
            id=to_global_id("Category", category.id),
            category_id=category.id,
            slug=category.slug,
            title=category.title,
            subtitle=category.subtitle,
            link_title=category.link_title,
            content_top=category.content_top,
            content_bottom=category.content_bottom,
            meta_title=category.meta_title,
            meta_keywords=category.meta_keywords,
            meta_description=category.meta_description,
            enabled=category.enabled,
            sort_order=category.sort_order,
            created_at=category.created_at,
            updated_at=category.updated_at,
            model=category,
        )


@strawberry.type(description="A merchant's offer for one or more products.")
class Offer(Node):
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
    model: strawberry.Private[models.Offer]

    @strawberry.field
    async def products(self, info: Info) -> list[Product]:
        rows = await _loaders(info).offer_products.load((self.model.workspace_id, self.model.id))
        return [Product.from_model(p) for p in rows]

    @classmethod
    def from_model(cls, offer: models.Offer) -> Offer:
        return cls(
            id=to_global_id("Offer", offer.id),
            offer_id=offer.id,
            uuid=offer.uuid,
            merchant=offer.merchant,
            merchant_offer_id=offer.merchant_offer_id,
            merchant_product_id=offer.merchant_offer_id,
            title=offer.title,
            summary=offer.summary,
            features=cast(JSON, offer.features),
            currency=offer.currency,
            price=offer.price,
            price_full=offer.price_full,
            min_price=offer.min_price,
            max_price=offer.max_price,
            condition=offer.condition,
            stock_available=offer.stock_available,
            enabled=offer.enabled,
            locale=offer.locale,
            images=cast(JSON, offer.images),
            url_detail=offer.url_detail,
            created_at=offer.created_at,
            updated_at=offer.updated_at,
            model=offer,
        )


@strawberry.type(description="The unified product: store fields and the fields content generation reads.")
class Product(Node):
    product_id: int = strawberry.field(description="The integer id the store REST API uses.")
    slug: str
    title: str
    subtitle: str | None
    link_title: str | None
    content: str | None
    content_bottom: str | None
    highlights: JSON
    summary: str | None
    meta_title: str | None
    meta_keywords: str | None
    meta_description: str | None
    review_quantity: int | None
    review_score: float | None
    enabled: bool
    in_sitemap: bool
    generated: bool
    upc: str | None
    ean: str | None
    isbn: str | None
    mpn: str | None
    main_image_url: str | None
    analytics_visits: int
    total_clicks: int
    affiliate_clicks: int
    external_product_code: str | None
    market: str | None
    language: str | None
    variant_group_id: str | None
    keywords: JSON = strawberry.field(description="Keyword groups for content generation.")
    attributes: JSON
    reviews: JSON
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Product]

    @strawberry.field
    async def brand(self, info: Info) -> Brand | None:
        if self.model.brand_id is None:
            return None
        brand = await _loaders(info).brand.load((self.model.workspace_id, self.model.brand_id))
        return Brand.from_model(brand) if brand is not None else None

    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        rows = await _loaders(info).product_categories.load((self.model.workspace_id, self.model.id))
        return [Category.from_model(c) for c in rows]

    @strawberry.field
    async def offers(self, info: Info) -> list[Offer]:
        rows = await _loaders(info).product_offers.load((self.model.workspace_id, self.model.id))
        return [Offer.from_model(o) for o in rows]

    @classmethod
    def from_model(cls, p: models.Product) -> Product:
        return cls(
            id=to_global_id("Product", p.id),
            product_id=p.id,
            slug=p.slug,
            title=p.title,
            subtitle=p.subtitle,
            link_title=p.link_title,
            content=p.content,
            content_bottom=p.content_bottom,
            highlights=cast(JSON, p.highlights),
            summary=p.summary,
            meta_title=p.meta_title,
            meta_keywords=p.meta_keywords,
            meta_description=p.meta_description,
            review_quantity=p.review_quantity,
            review_score=p.review_score,
            enabled=p.enabled,
            in_sitemap=p.in_sitemap,
            generated=p.generated,
            upc=p.upc,
            ean=p.ean,
            isbn=p.isbn,
            mpn=p.mpn,
            main_image_url=p.main_image_url,
            analytics_visits=p.analytics_visits,
            total_clicks=p.total_clicks,
            affiliate_clicks=p.affiliate_clicks,
            external_product_code=p.external_product_code,
            market=p.market,
            language=p.language,
            variant_group_id=p.variant_group_id,
            keywords=cast(JSON, p.keywords),
            attributes=cast(JSON, p.attributes),
            reviews=cast(JSON, p.reviews),
            created_at=p.created_at,
            updated_at=p.updated_at,
            model=p,
        )


# ---- connections (offset cursors: sorting is by any allowed column) ---------------------------------------


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class BrandEdge:
    cursor: str
    node: Brand


@strawberry.type
class BrandConnection:
    edges: list[BrandEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class CategoryEdge:
    cursor: str
    node: Category


@strawberry.type
class CategoryConnection:
    edges: list[CategoryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class OfferEdge:
    cursor: str
    node: Offer


@strawberry.type
class OfferConnection:
    edges: list[OfferEdge]
    page_info: PageInfo
    total_count: int


# ---- sorting ----------------------------------------------------------------------------------------------


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum
class ProductSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"
    REVIEW_SCORE = "review_score"
    REVIEW_QUANTITY = "review_quantity"
    ANALYTICS_VISITS = "analytics_visits"
    TOTAL_CLICKS = "total_clicks"
    AFFILIATE_CLICKS = "affiliate_clicks"


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


@strawberry.enum
class CategorySortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    SORT_ORDER = "sort_order"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"


@strawberry.enum
class BrandSortField(Enum):
    ID = "id"
    TITLE = "title"
    SLUG = "slug"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    ENABLED = "enabled"


@strawberry.input
class ProductSort:
    field: ProductSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class OfferSort:
    field: OfferSortField
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class CategorySort:
    field: CategorySortField
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class BrandSort:
    field: BrandSortField
    direction: SortDirection = SortDirection.DESC


# ---- filters ----------------------------------------------------------------------------------------------


@strawberry.input
class ProductFilterInput:
    search: str | None = None
    enabled: bool | None = None
    brand_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    generated: bool | None = None


@strawberry.input
class OfferFilterInput:
    search: str | None = None
    merchant: str | None = None
    enabled: bool | None = None
    product_id: strawberry.ID | None = None


@strawberry.input
class CategoryFilterInput:
    search: str | None = None
    enabled: bool | None = None
    parent_id: strawberry.ID | None = None
    roots_only: bool = strawberry.field(default=False, description="Only categories without a parent.")


@strawberry.input
class BrandFilterInput:
    search: str | None = None
    enabled: bool | None = None


# ---- mutation inputs (every field optional: only what is sent changes; create requires title) ---------------


@strawberry.input
class BrandInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class CategoryInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content_top: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    sort_order: int | None = strawberry.UNSET


@strawberry.input
class ProductInput:
    title: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    subtitle: str | None = strawberry.UNSET
    link_title: str | None = strawberry.UNSET
    content: str | None = strawberry.UNSET
    content_bottom: str | None = strawberry.UNSET
    highlights: JSON | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    meta_title: str | None = strawberry.UNSET
    meta_keywords: str | None = strawberry.UNSET
    meta_description: str | None = strawberry.UNSET
    review_quantity: int | None = strawberry.UNSET
    review_score: float | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    in_sitemap: bool | None = strawberry.UNSET
    generated: bool | None = strawberry.UNSET
    brand_id: strawberry.ID | None = strawberry.UNSET
    upc: str | None = strawberry.UNSET
    ean: str | None = strawberry.UNSET
    isbn: str | None = strawberry.UNSET
    mpn: str | None = strawberry.UNSET
    main_image_url: str | None = strawberry.UNSET
    external_product_code: str | None = strawberry.UNSET
    market: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    variant_group_id: str | None = strawberry.UNSET
    keywords: JSON | None = strawberry.UNSET
    attributes: JSON | None = strawberry.UNSET
    reviews: JSON | None = strawberry.UNSET


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


def provided(obj: Any) -> dict[str, Any]:
    """The fields the caller actually sent (snake_case names, as the domain rules use)."""
    return {k: v for k, v in vars(obj).items() if v is not strawberry.UNSET}


# ---- payloads ---------------------------------------------------------------------------------------------


@strawberry.type
class ProductPayload:
    product: Product | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BrandPayload:
    brand: Brand | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CategoryPayload:
    category: Category | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OfferPayload:
    offer: Offer | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
