"""Relay conventions, once for every type: opaque global ids, the ``Node`` interface (each type says how it
is loaded by id), and generic connections (``Connection[Product]`` is ``ProductConnection`` in the schema).

Lists page with ``first`` (at most ``MAX_PAGE_SIZE``) and ``after`` (a cursor from the previous page), sort
with ``sort: {field, direction}`` and filter with ``filter: {...}``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

import strawberry

from domain.errors import InvalidInput, NotFound
from domain.paging import MAX_PAGE_SIZE, Page, PageRequest, Sort, SortSpec
from domain.validation import INT_MAX, is_number

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.accounts.principal import Principal
    from schema.types import Info

NodeT = TypeVar("NodeT")
M = TypeVar("M")
F = TypeVar("F")
F_co = TypeVar("F_co", covariant=True)
F_contra = TypeVar("F_contra", contravariant=True)


# --- global ids ----------------------------------------------------------------------------------------


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def to_global_id(type_name: str, raw_id: str | int) -> strawberry.ID:
    # base64.urlsafe_b64encode without its two Python calls (one id per object of every answer)
    encoded = binascii.b2a_base64(f"{type_name}:{raw_id}".encode(), newline=False).translate(_URLSAFE)
    return strawberry.ID(encoded.decode().rstrip("="))


def from_global_id(global_id: str) -> tuple[str, str]:
    try:
        decoded = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotFound("No object with this id.") from None
    type_name, sep, raw = decoded.partition(":")
    if not sep or not type_name.isidentifier() or not raw:
        raise NotFound("No object with this id.")
    return type_name, raw


def raw_id_for(type_name: str, value: str) -> str:
    """Accept a global id of ``type_name`` or the raw id the REST surfaces render."""
    try:
        kind, raw = from_global_id(value)
    except NotFound:
        return value
    if kind != type_name:
        # A global id of another type names no object of this one.
        raise NotFound(f"No {type_name} with this id.")
    return raw


def int_id(type_name: str, value: str) -> int:
    """A global id of ``type_name`` or the integer id the store REST API renders; NotFound otherwise."""
    raw = raw_id_for(type_name, str(value))
    if not is_number(raw) or len(raw) > 10 or not 0 < int(raw) <= INT_MAX:
        raise NotFound(f"No {type_name} with this id.")
    return int(raw)


def input_id(type_name: str, value: str | None, field: str) -> int | None:
    """An id an input names: an unknown one is bad input of that field (not a missing object)."""
    if value is None:
        return None
    try:
        return int_id(type_name, value)
    except NotFound:
        raise InvalidInput.field(field, f"No {type_name} with this id.", rule="exists") from None


def input_ids(type_name: str, values: list[strawberry.ID], field: str) -> list[int]:
    ids: list[int] = []
    problems: list[InvalidInput] = []
    for index, value in enumerate(values):
        try:
            found = input_id(type_name, value, f"{field}.{index}")
        except InvalidInput as exc:
            problems.append(exc)
            continue
        assert found is not None
        ids.append(found)
    if problems:
        raise InvalidInput(errors=[e for p in problems for e in p.field_errors])
    return ids


# --- nodes ---------------------------------------------------------------------------------------------


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        """Load the object of this type with this raw id for the caller, or raise ``NotFound``."""
        raise NotFound("No object with this id.")


async def resolve_node(info: Info, global_id: str) -> Node:
    """The object a global id names, loaded by its own type's ``resolve_node``."""
    type_name, raw = from_global_id(global_id)
    definition = info.schema.get_type_by_name(type_name)
    origin = getattr(definition, "origin", None)
    if not isinstance(origin, type) or not issubclass(origin, Node) or origin is Node:
        raise NotFound("No object with this id.")
    return await origin.resolve_node(info, raw)


# --- connections ---------------------------------------------------------------------------------------


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int

    @classmethod
    def of(cls, page: Page[M], convert: Callable[[M], NodeT]) -> Connection[NodeT]:
        """A domain page as a connection of ``convert``-ed items."""
        return cls.of_nodes(page, [convert(item) for item in page.items])

    @classmethod
    def of_nodes(cls, page: Page[M], nodes: list[NodeT]) -> Connection[NodeT]:
        """A domain page as a connection of its items' ``nodes`` (in order): keyset pages carry their items'
        cursors, offset pages get offset cursors."""
        cursors = page.cursors or [encode_offset(page.offset + i) for i in range(len(page.items))]
        edges = [Edge(cursor=c, node=node) for c, node in zip(cursors, nodes, strict=True)]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous or (page.cursors is not None and page.offset > 0),
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


@lru_cache(maxsize=8192)  # the first pages' cursors, asked for on every request of a list
def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str) -> int | None:
    """The position a cursor names, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    kind, _, value = raw.partition(":")
    if kind != "offset" or not is_number(value) or len(value) > 10 or int(value) >= INT_MAX:
        return None
    return int(value)


def _check_first(first: int) -> None:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput.field(
            "first",
            f"first must be between 1 and {MAX_PAGE_SIZE}.",
            rule="between",
            params={"min": 1, "max": MAX_PAGE_SIZE},
        )


def page_request(first: int, after: str | None, sort: Sort | None = None) -> PageRequest:
    """``first`` items after the cursor ``after`` of an offset list."""
    _check_first(first)
    offset = 0
    if after is not None:
        position = decode_offset(after)
        if position is None:
            raise InvalidInput.field("after", "Unknown cursor.", rule="cursor")
        offset = position + 1
    return PageRequest(limit=first, offset=offset, sort=sort)


def keyset_request(first: int, after: str | None) -> PageRequest:
    """``first`` items after the cursor ``after`` of a list paged by key (the list checks the cursor)."""
    _check_first(first)
    return PageRequest(limit=first, after=after)


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


class SortInput(Protocol):
    """Every list's ``sort`` input: ``{field: <the list's sort field enum>, direction}``."""

    @property
    def field(self) -> Enum: ...

    @property
    def direction(self) -> SortDirection: ...


def sort_of(sort: SortInput | None) -> Sort | None:
    """The domain ``Sort`` a ``sort`` argument names (none: the list's default order)."""
    if sort is None:
        return None
    return Sort(str(sort.field.value), descending=sort.direction is SortDirection.DESC)


# --- lists ---------------------------------------------------------------------------------------------


class ListFilter(Protocol[F_co]):
    """A list's ``filter`` input: what it asks for, in domain terms."""

    def domain(self) -> F_co: ...


class Lists(Protocol[F_contra, M]):
    """A domain service that answers a page of a filtered list (``BrandService(session)`` ...)."""

    async def page(self, principal: Principal, f: F_contra, request: PageRequest, /) -> Page[M]: ...


async def list_connection(
    info: Info,
    service: Callable[[AsyncSession], Lists[F, M]],
    convert: Callable[[Sequence[M]], list[NodeT]],
    filter: ListFilter[F],
    first: int,
    after: str | None,
    sort: SortInput | None = None,
    sorts: SortSpec | None = None,
) -> Connection[NodeT]:
    """A page of ``service``'s list for the caller, as a connection of the nodes ``convert`` makes of the
    page's items (all at once: ``FromModel.from_models``). ``sorts`` checks the sort where the service does not."""
    principal = await info.context.principal()
    f = filter.domain()
    request = page_request(first, after, sorts.check(sort_of(sort)) if sorts is not None else sort_of(sort))
    page = await info.context.scope.read(lambda s: service(s).page(principal, f, request))
    return Connection.of_nodes(page, convert(page.items))
