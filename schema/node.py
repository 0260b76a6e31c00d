"""TRANSITION: the per-type node registry the areas used before each type declared ``resolve_node``
(``schema.relay``). Removed once every area has moved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.accounts.principal import Principal
from domain.errors import NotFound
from resolvers.context import AppServices
from schema.relay import Node, from_global_id, int_id, raw_id_for, to_global_id

__all__ = ["Node", "from_global_id", "int_id", "node_resolver", "raw_id_for", "to_global_id"]

NodeResolver = Callable[[AppServices, Principal, str], Awaitable[Node]]
_NODE_RESOLVERS: dict[str, NodeResolver] = {}


def node_resolver(type_name: str) -> Callable[[NodeResolver], NodeResolver]:
    def register(fn: NodeResolver) -> NodeResolver:
        _NODE_RESOLVERS[type_name] = fn
        return fn

    return register


def legacy_resolver(global_id: str) -> tuple[NodeResolver, str] | None:
    try:
        type_name, raw = from_global_id(global_id)
    except NotFound:
        return None
    resolver = _NODE_RESOLVERS.get(type_name)
    return (resolver, raw) if resolver is not None else None
