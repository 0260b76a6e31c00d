"""One pagination vocabulary for every list: a ``PageRequest`` in, a ``Page`` out, and ``Sort`` by a column
from the list's allow-list (``SortSpec``).

Surfaces translate their own paging into a ``PageRequest`` (the store API's ``page``/``per_page``, GraphQL's
``first``/``after``, a listing ``page``/``limit``, a content-services ``page_token``) and render the ``Page``
in their own shape. Offset lists use ``offset``; lists that page by key (jobs, newest first) use ``after``,
an opaque cursor the list itself hands out (``Page.cursors``, ``Page.next_after``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import Loc, Problems

T = TypeVar("T")
U = TypeVar("U")

MAX_PAGE_SIZE = 100
# The highest page number a surface takes: beyond any list, and it keeps offsets well inside 64 bits.
MAX_PAGE = 10_000_000
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Sort:
    column: str
    descending: bool


@dataclass(frozen=True)
class SortSpec:
    """The columns a list may be sorted by, and its default order."""

    allowed: frozenset[str]
    default: Sort

    @classmethod
    def of(cls, allowed: Collection[str], default: str, *, descending: bool) -> SortSpec:
        return cls(frozenset(allowed), Sort(default, descending))

    def read(
        self,
        column: str | None,
        direction: str | None,
        problems: Problems,
        *,
        column_loc: Loc = ("sort_by",),
        direction_loc: Loc = ("sort_dir",),
    ) -> Sort:
        """The order asked for (no column: the default; a column without a direction: descending).
        Problems go to ``problems`` under the locations the caller names."""
        chosen = self.default.column
        if column:
            if column not in self.allowed:
                values = sorted(self.allowed)
                problems.add(column_loc, "in", f"Sort by one of: {', '.join(values)}.", {"values": values})
            else:
                chosen = column
        descending = True if column else self.default.descending
        if direction:
            if direction.lower() not in ("asc", "desc"):
                problems.add(direction_loc, "in", "Sort direction is asc or desc.", {"values": ["asc", "desc"]})
            else:
                descending = direction.lower() == "desc"
        return Sort(chosen, descending)

    def check(self, sort: Sort | None) -> Sort:
        """A sort built by a surface from its own enum: the default when absent. An unknown column is a
        programming error (the surface's enum and the allow-list disagree), not bad input."""
        if sort is None:
            return self.default
        if sort.column not in self.allowed:
            raise ValueError(f"{sort.column!r} is not sortable here")
        return sort


@dataclass(frozen=True)
class PageRequest:
    """Which part of a list to read: ``limit`` items from ``offset`` (or after the cursor ``after``), in
    ``sort`` order (``None``: the list's default)."""

    limit: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    sort: Sort | None = None
    after: str | None = None

    @classmethod
    def numbered(cls, page: int, per_page: int, sort: Sort | None = None) -> PageRequest:
        """Page ``page`` (from 1) of ``per_page`` items."""
        return cls(limit=per_page, offset=(page - 1) * per_page, sort=sort)

    @property
    def number(self) -> int:
        """The page number (from 1) this request reads, when it reads whole pages."""
        return self.offset // self.limit + 1 if self.limit else 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """A part of a list, with the size of the whole list (``total``).

    Lists that page by key also give each item's cursor (``cursors``) and whether more follow (``more``)."""

    items: list[T]
    total: int
    offset: int = 0
    limit: int = 0
    cursors: list[str] | None = None
    more: bool | None = None

    @property
    def has_next(self) -> bool:
        if self.more is not None:
            return self.more
        return self.offset + len(self.items) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def next_after(self) -> str | None:
        """For lists that page by key: the cursor to ask for the next page with, if there is one."""
        return self.cursors[-1] if self.cursors and self.has_next else None

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(i) for i in self.items], self.total, self.offset, self.limit, self.cursors, self.more)

    @classmethod
    def of(cls, items: Sequence[T], total: int, request: PageRequest) -> Page[T]:
        return cls(list(items), total, request.offset, request.limit)
