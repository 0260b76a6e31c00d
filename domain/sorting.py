"""Sorting a list by a column from its allow-list, one way for every list of the store API."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Sort:
    column: str
    descending: bool


def read_sort(
    sort_by: str | None, sort_dir: str | None, allowed: Collection[str], default: Sort
) -> tuple[Sort, dict[str, list[str]]]:
    """The sort a request asks for, and what is wrong with it (field → messages; empty when nothing is).

    No ``sort_by``: the list's default. A ``sort_by`` without ``sort_dir`` sorts descending."""
    errors: dict[str, list[str]] = {}
    column = default.column
    if sort_by:
        if sort_by not in allowed:
            errors["sort_by"] = [f"The selected sort by is invalid. Use one of: {', '.join(sorted(allowed))}."]
        else:
            column = sort_by
    descending = True if sort_by else default.descending
    if sort_dir:
        if sort_dir.lower() not in ("asc", "desc"):
            errors["sort_dir"] = ["The selected sort dir is invalid. Use asc or desc."]
        else:
            descending = sort_dir.lower() == "desc"
    return Sort(column, descending), errors
