"""Opaque global ids and the ``Node`` interface."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable

import strawberry

from domain.accounts.principal import Principal
from domain.catalog.inputs import INT_MAX
from domain.errors import NotFound
from resolvers.context import AppServices


def to_global_id(type_name: str, raw_id: str | int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode().rstrip("="))


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


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID


NodeResolver = Callable[[AppServices, Principal, str], Awaitable[Node]]
_NODE_RESOLVERS: dict[str, NodeResolver] = {}


def node_resolver(type_name: str) -> Callable[[NodeResolver], NodeResolver]:
    """Register how ``node(id:)`` loads objects of ``type_name`` (each area registers its own types).

    A resolver gets the raw id and raises ``NotFound`` for unknown ids and other workspaces' objects.
    """

    def register(fn: NodeResolver) -> NodeResolver:
        _NODE_RESOLVERS[type_name] = fn
        return fn

    return register


def int_id(type_name: str, value: str) -> int:
    """A global id of ``type_name`` or the integer id the store REST API renders; NotFound otherwise."""
    raw = raw_id_for(type_name, str(value))
    if not raw.isdigit() or not 0 < int(raw) <= INT_MAX:
        raise NotFound(f"No {type_name} with this id.")
    return int(raw)


async def resolve_node(services: AppServices, principal: Principal, global_id: str) -> Node:
    type_name, raw = from_global_id(global_id)
    resolver = _NODE_RESOLVERS.get(type_name)
    if resolver is None:
        raise NotFound("No object with this id.")
    return await resolver(services, principal, raw)
