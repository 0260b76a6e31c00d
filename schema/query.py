"""``node(id:)``: any object by its global id, loaded by its own type."""

from __future__ import annotations

import strawberry

from schema.relay import Node, resolve_node
from schema.types import Info


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)
