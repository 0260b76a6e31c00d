"""Catalog rules shared by the services: sorting allow-lists, includes, pages (slugs: ``domain.slugs``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import InvalidInput
from domain.sorting import Sort, read_sort

T = TypeVar("T")

# Columns a list may be sorted by, and each list's default (column, descending).
SORTABLE: dict[str, frozenset[str]] = {
    "products": frozenset(
        {
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
        }
    ),
    "offers": frozenset(
        {"id", "title", "merchant", "price", "price_full", "created_at", "updated_at", "enabled", "stock_available"}
    ),
    "categories": frozenset({"id", "title", "slug", "sort_order", "created_at", "updated_at", "enabled"}),
    "brands": frozenset({"id", "title", "slug", "created_at", "updated_at", "enabled"}),
}
DEFAULT_SORT: dict[str, Sort] = {
    "products": Sort("created_at", True),
    "offers": Sort("created_at", True),
    "categories": Sort("sort_order", False),
    "brands": Sort("created_at", True),
}

PRODUCT_INCLUDES = ("brand", "offers", "categories")


def parse_sort(resource: str, sort_by: str | None, sort_dir: str | None) -> Sort:
    sort, errors = read_sort(sort_by, sort_dir, SORTABLE[resource], DEFAULT_SORT[resource])
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    return sort


def parse_includes(raw: str | None, allowed: Iterable[str] = PRODUCT_INCLUDES) -> frozenset[str]:
    if raw is None or not raw.strip():
        return frozenset()
    names = [n.strip() for n in raw.split(",") if n.strip()]
    allowed_set = set(allowed)
    unknown = [n for n in names if n not in allowed_set]
    if unknown:
        message = f"Unknown include '{unknown[0]}'. Allowed: {', '.join(allowed)}."
        raise InvalidInput(message, errors={"include": [message]})
    return frozenset(names)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
