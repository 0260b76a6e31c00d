"""Catalog models. One ``Product`` serves every surface (DESIGN §4): the store fields the REST store API
documents and the content-service fields content generation reads (external product code, market, language,
variant group, keyword groups, attributes, reviews).

Relationships are ``lazy="raise"`` and view-only: reads go through explicit queries (repository, DataLoaders),
writes through the association rows, so nothing loads behind anyone's back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.base import Base, JSONType, UTCDateTime, utcnow

TITLE_MAX = 255


class Brand(Base):
    __tablename__ = "catalog_brands"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    subtitle: Mapped[str | None] = mapped_column(Text, nullable=True)
    link_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    content: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_bottom: Mapped[str | None] = mapped_column(Text, nullable=True)
    meta_title: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_keywords: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Category(Base):
    __tablename__ = "catalog_categories"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="SET NULL"), nullable=True, index=True
    )
    slug: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    subtitle: Mapped[str | None] = mapped_column(Text, nullable=True)
    link_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_top: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_bottom: Mapped[str | None] = mapped_column(Text, nullable=True)
    meta_title: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_keywords: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[Category | None] = relationship(remote_side=[id], lazy="raise", viewonly=True)


class Product(Base):
    __tablename__ = "catalog_products"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slug"),
        Index("ix_catalog_products_workspace_created", "workspace_id", "created_at"),
        Index("ix_catalog_products_workspace_external_code", "workspace_id", "external_product_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    brand_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_brands.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Store fields (freshstore "Product Fields").
    slug: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    subtitle: Mapped[str | None] = mapped_column(Text, nullable=True)
    link_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    content: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_bottom: Mapped[str | None] = mapped_column(Text, nullable=True)
    highlights: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    meta_title: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_keywords: Mapped[str | None] = mapped_column(String(255), nullable=True)
    meta_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    review_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    review_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    in_sitemap: Mapped[bool] = mapped_column(Boolean, default=True)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    upc: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ean: Mapped[str | None] = mapped_column(String(64), nullable=True)
    isbn: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mpn: Mapped[str | None] = mapped_column(String(255), nullable=True)
    main_image_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    # Analytics counters (GET /api/products/{id}/analytics).
    analytics_visits: Mapped[int] = mapped_column(Integer, default=0)
    total_clicks: Mapped[int] = mapped_column(Integer, default=0)
    affiliate_clicks: Mapped[int] = mapped_column(Integer, default=0)
    # Content-service fields (brandbrain "product" input), read by content generation.
    external_product_code: Mapped[str | None] = mapped_column(String(255), nullable=True)
    market: Mapped[str | None] = mapped_column(String(16), nullable=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    variant_group_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    keywords: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    reviews: Mapped[list[Any]] = mapped_column(JSONType, default=list)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    brand: Mapped[Brand | None] = relationship(lazy="raise", viewonly=True)
    categories: Mapped[list[Category]] = relationship(
        secondary="catalog_product_categories", lazy="raise", viewonly=True
    )
    offers: Mapped[list[Offer]] = relationship(secondary="catalog_offer_products", lazy="raise", viewonly=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Offer(Base):
    __tablename__ = "catalog_offers"
    __table_args__ = (Index("ix_catalog_offers_workspace_merchant", "workspace_id", "merchant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str | None] = mapped_column(String(255), nullable=True)
    merchant: Mapped[str] = mapped_column(String(255))
    merchant_offer_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    features: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    currency: Mapped[str | None] = mapped_column(String(10), nullable=True)
    price: Mapped[float | None] = mapped_column(Float, nullable=True)
    price_full: Mapped[float | None] = mapped_column(Float, nullable=True)
    min_price: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_price: Mapped[float | None] = mapped_column(Float, nullable=True)
    condition: Mapped[str | None] = mapped_column(String(50), nullable=True)
    stock_available: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    images: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    url_detail: Mapped[str] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def merchant_product_id(self) -> str:
        """Deprecated alias of ``merchant_offer_id`` (the store API still renders it)."""
        return self.merchant_offer_id


class ProductCategory(Base):
    __tablename__ = "catalog_product_categories"

    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OfferProduct(Base):
    __tablename__ = "catalog_offer_products"

    offer_id: Mapped[int] = mapped_column(ForeignKey("catalog_offers.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


REVIEW_TEXT_MAX = 1000  # the content-services document's limit on a review text


class ProductReview(Base):
    """A customer review of a catalog product, as the workspace stored it (GraphQL ``addProductReviews``).

    The review summariser reads these for ``product_ids``. ``external_review_id`` is the id the review has where
    it came from (unique per product when given, so an import can be repeated without duplicates)."""

    __tablename__ = "catalog_product_reviews"
    __table_args__ = (
        # An explicit name: the convention's would pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "workspace_id", "product_id", "external_review_id", name="uq_catalog_product_reviews_external"
        ),
        Index("ix_catalog_product_reviews_product_order", "workspace_id", "product_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(REVIEW_TEXT_MAX))
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    author: Mapped[str | None] = mapped_column(String(255), nullable=True)
    external_review_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
