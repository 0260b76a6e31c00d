"""Catalog rules shared by the services and the surfaces: the columns each list may be sorted by (and its
default order), and the relations a product may include (slugs: ``domain.slugs``)."""

from __future__ import annotations

from domain.paging import SortSpec

PRODUCT_SORT = SortSpec.of(
    (
        "id",
        "title",
        "slug",
        "created_at",
        "updated_at",
        "enabled",
        "review_score",
        "review_quantity",
        "analytics_visits",
        "total_clicks",
        "affiliate_clicks",
    ),
    "created_at",
    descending=True,
)
OFFER_SORT = SortSpec.of(
    ("id", "title", "merchant", "price", "price_full", "created_at", "updated_at", "enabled", "stock_available"),
    "created_at",
    descending=True,
)
CATEGORY_SORT = SortSpec.of(
    ("id", "title", "slug", "sort_order", "created_at", "updated_at", "enabled"), "sort_order", descending=False
)
BRAND_SORT = SortSpec.of(("id", "title", "slug", "created_at", "updated_at", "enabled"), "created_at", descending=True)

PRODUCT_INCLUDES = ("brand", "offers", "categories")  # the relations a product can be read with
