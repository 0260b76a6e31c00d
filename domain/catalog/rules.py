"""Catalog rules shared by the services and the surfaces: the columns each list may be sorted by (and its
default order), and the relations a product may include (slugs: ``domain.slugs``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from domain.paging import SortSpec
from domain.validation import rule_error

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

PRODUCT_INCLUDES = ("brand", "offers", "categories")


def read_includes(raw: Any) -> frozenset[str]:
    """The relations a comma-separated ``include`` names (none when empty); rule ``include`` for a name that
    is not one of ``PRODUCT_INCLUDES``."""
    if raw is None:
        return frozenset()
    if not isinstance(raw, str):
        raise rule_error("string", "Must be a string.")
    names = [n.strip() for n in raw.split(",") if n.strip()]
    for name in names:
        if name not in PRODUCT_INCLUDES:
            allowed = list(PRODUCT_INCLUDES)
            raise rule_error("include", f"Unknown include {name!r}.", name=name, allowed=allowed)
    return frozenset(names)


ProductIncludes = Annotated[
    frozenset[str],
    BeforeValidator(read_includes),
    WithJsonSchema(
        {"type": "string", "description": f"Relations to include, comma-separated: {', '.join(PRODUCT_INCLUDES)}."}
    ),
]
"""A product's ``include`` parameter: the relations to render with it."""
