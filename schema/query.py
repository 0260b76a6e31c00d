"""``node(id:)``: any object by its global id, loaded by its own type."""

from __future__ import annotations

import strawberry

from schema.node import legacy_resolver
from schema.relay import Node, resolve_node
from schema.types import Info


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        legacy = legacy_resolver(id)  # TRANSITION: areas not yet declaring resolve_node
        if legacy is not None:
            resolver, raw = legacy
            return await resolver(info.context.services, await info.context.principal(), raw)
        return await resolve_node(info, id)
