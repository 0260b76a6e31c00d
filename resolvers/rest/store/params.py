"""The store API's list and path parameters: ``page``/``per_page``, ``sort_by``/``sort_dir``, the filters of
its lists (empty means no filter) and ``/{id}``."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, field_validator

from domain.catalog.rules import PRODUCT_INCLUDES, PRODUCT_SORT
from domain.errors import Problems
from domain.paging import MAX_PAGE, MAX_PAGE_SIZE, PageRequest, SortSpec
from domain.validation import INT_MAX, is_number, parse_lax_bool, parse_lax_int, rule_error

DEFAULT_PER_PAGE = 15


# The store API names the relations to read a product with as a comma-separated string.
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


def _page_number(value: Any) -> int:
    text = value.strip() if isinstance(value, str) else ""
    # ASCII digits only ("²" is a digit to str.isdigit, not to int()). A number too long to read is as good
    # as any other over the field's maximum, which reports it.
    number = (int(text) if len(text) <= 18 else 10**18) if re.fullmatch(r"[0-9]+", text) else 0
    if number < 1:
        raise rule_error("min_integer", "Must be an integer of at least 1.", min=1)
    return number


def query_bool(value: Any) -> bool | None:
    """A boolean filter: 1/0/true/false; empty means no filter."""
    if value is None or value == "":
        return None
    parsed = parse_lax_bool(value)
    if parsed is None:
        raise rule_error("boolean", "Must be true or false.")
    return parsed


def query_int(value: Any) -> int | None:
    """An id filter; empty means no filter."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not is_number(value) or parse_lax_int(value) is None:
        raise rule_error("integer", "Must be an integer.")
    return int(value)


def query_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


PageNumber = Annotated[int, BeforeValidator(_page_number)]
BoolFilter = Annotated[bool | None, BeforeValidator(query_bool)]
IdFilter = Annotated[int | None, BeforeValidator(query_int)]
TextFilter = Annotated[str | None, BeforeValidator(query_str)]


class PageQuery(BaseModel):
    """``page`` (from 1) and ``per_page`` (default 15, at most 100)."""

    page: PageNumber = Field(default=1, le=MAX_PAGE, description="The page, from 1.")
    per_page: PageNumber = Field(default=DEFAULT_PER_PAGE, le=MAX_PAGE_SIZE, description="Items per page.")

    def page_request(self) -> PageRequest:
        return PageRequest.numbered(self.page, self.per_page)


class ListQuery(PageQuery):
    """A list that also sorts: ``sort_by`` (a column of ``sorting``, the list's allow-list) and ``sort_dir``.
    A subclass sets ``sorting`` and adds its filters; every problem is reported with the others."""

    sorting: ClassVar[SortSpec | None] = None

    sort_by: str | None = Field(default=None, description="A column of the list's allow-list.")
    sort_dir: str | None = Field(default=None, description="asc or desc (default desc when sort_by is given).")

    @field_validator("sort_by")
    @classmethod
    def _sortable(cls, value: str | None) -> str | None:
        if value and cls.sorting is not None and value not in cls.sorting.allowed:
            values = sorted(cls.sorting.allowed)
            raise rule_error("in", f"Sort by one of: {', '.join(values)}.", values=values)
        return value or None

    @field_validator("sort_dir")
    @classmethod
    def _direction(cls, value: str | None) -> str | None:
        if value and value.lower() not in ("asc", "desc"):
            raise rule_error("in", "Sort direction is asc or desc.", values=["asc", "desc"])
        return value or None

    def page_request(self, spec: SortSpec | None = None) -> PageRequest:
        """The page this query asks for, sorted as it asks (422 for a column outside ``spec``)."""
        spec = spec or self.sorting
        problems = Problems()
        sort = spec.read(self.sort_by, self.sort_dir, problems) if spec is not None else None
        problems.raise_if_any()
        return PageRequest.numbered(self.page, self.per_page, sort)


def _path_id(value: Any) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,10}", value) or not 0 < int(value) <= INT_MAX:
        raise rule_error("id", "Not an id of this API.")
    return int(value)


class IdPath(BaseModel):
    """``/{id}``: anything but a positive 32-bit integer names nothing (404)."""

    id: Annotated[int, BeforeValidator(_path_id)] = Field(description="The object's id.")


class ProductsQuery(ListQuery):
    """A list of products (any of them): paging, sorting, and the relations to include."""

    sorting: ClassVar[SortSpec | None] = PRODUCT_SORT

    include: ProductIncludes = Field(default="", validate_default=True)
