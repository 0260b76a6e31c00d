"""Mutation payloads every area shares, and the delete mutation that answers one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import strawberry

from schema.errors import Payload
from schema.relay import int_id, to_global_id

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.accounts.principal import Principal
    from schema.types import Info


@strawberry.type(description="What a delete mutation answers: the deleted object's id, or what stopped it.")
class DeletePayload(Payload):
    deleted_id: strawberry.ID | None = None


class Deletes(Protocol):
    """A domain service that deletes an object by its integer id (``BrandService(session)`` ...)."""

    async def delete(self, principal: Principal, object_id: int, /) -> None: ...


async def delete_node(
    info: Info,
    type_name: str,
    id: str,
    service: Callable[[AsyncSession], Deletes],
    *,
    permission: str | None = None,
) -> DeletePayload:
    """Delete the ``type_name`` a global (or REST) id names, for a caller holding ``permission``."""
    principal = await info.context.require(permission) if permission else await info.context.principal()
    object_id = int_id(type_name, id)
    await info.context.scope.write(lambda uow: service(uow.session).delete(principal, object_id))
    return DeletePayload(deleted_id=to_global_id(type_name, object_id))
