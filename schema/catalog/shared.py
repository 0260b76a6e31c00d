"""What the catalog's schema files share: turning a mutation's input into a domain command (through the same
command models the store REST surface parses), and the loaders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel

from domain.accounts.principal import Principal
from domain.errors import InvalidInput, NotFound, Problems
from resolvers.catalog_loaders import CatalogLoaders
from schema.relay import int_id
from schema.types import Info

M = TypeVar("M", bound=BaseModel)


def loaders(info: Info) -> CatalogLoaders:
    return info.context.loaders.catalog


async def manager(info: Info, permission: str) -> Principal:
    """The caller, when it may write with ``permission`` (checked before the input is)."""
    principal = await info.context.principal()
    principal.require(permission)
    return principal


async def command(
    info: Info, model: type[M], data: object, *, ids: Mapping[str, str] | None = None, partial: bool = False
) -> M:
    """The fields an input sent (``UNSET`` ones left out) as ``model``, the global ids of ``ids`` (field →
    type) as integer ids; every problem at once, the ids' included."""
    values: dict[str, Any] = {k: v for k, v in vars(data).items() if v is not strawberry.UNSET}
    problems = Problems()
    for field, type_name in (ids or {}).items():
        if values.get(field) is not None:
            try:
                values[field] = int_id(type_name, values[field])
            except NotFound:
                problems.add(field, "exists", f"No {type_name} with this id.", {"kind": type_name})
                del values[field]
    try:
        parsed = await info.context.scope.parse(model, values, partial=partial)
    except InvalidInput as exc:
        problems.extend(exc.field_errors)
        problems.raise_if_any()
        raise
    problems.raise_if_any()
    return parsed
