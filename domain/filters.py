"""What the lists of the catalog and the store filter on alike; each list's filter adds its own fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TitleFilter:
    search: str | None = None  # part of the title, any case
    enabled: bool | None = None


@dataclass(frozen=True)
class TreeFilter(TitleFilter):
    """A list of categories (of products or of articles)."""

    parent_id: int | None = None  # only this category's children
    roots_only: bool = False  # only categories without a parent
