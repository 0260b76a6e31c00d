"""Catalog rules shared by the services: sorting allow-lists, includes, slugs, pages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.catalog.repository import Sort
from domain.errors import InvalidInput

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
    default = DEFAULT_SORT[resource]
    errors: dict[str, list[str]] = {}
    column = default.column
    if sort_by is not None and sort_by != "":
        if sort_by not in SORTABLE[resource]:
            allowed = ", ".join(sorted(SORTABLE[resource]))
            errors["sort_by"] = [f"The selected sort by is invalid. Allowed: {allowed}."]
        else:
            column = sort_by
    descending = default.descending if sort_by in (None, "") else True
    if sort_dir is not None and sort_dir != "":
        if sort_dir.lower() not in ("asc", "desc"):
            errors["sort_dir"] = ["The selected sort dir is invalid. Use asc or desc."]
        else:
            descending = sort_dir.lower() == "desc"
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    return Sort(column, descending)


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


def slugify(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(c for c in normalized if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+", "-", ascii_ish.lower()).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:240].rstrip("-")


def next_free_slug(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
