"""How mutations read their inputs: as the same command models the REST surfaces parse, with the caller's
workspace references checked, every problem at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel

from domain.errors import InvalidInput, Problems
from schema.relay import input_id, input_ids
from schema.types import Info

M = TypeVar("M", bound=BaseModel)


async def parse_input(
    info: Info,
    model: type[M],
    data: object,
    *,
    ids: Mapping[str, tuple[str, str]] | None = None,
    partial: bool = False,
    subject: int | None = None,
) -> M:
    """``data`` (a Strawberry input) as ``model``. UNSET fields are left out; ``ids`` names the fields that take
    global ids: input field → (command field, type name). ``subject``: the id of the object an update changes
    (its own values are not taken by another; a parent under it is refused). The caller is authenticated
    first: a call without credentials is refused before its input is read."""
    await info.context.principal()
    ids = ids or {}
    values: dict[str, Any] = {}
    problems = Problems()
    for field in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, field.name)
        if value is strawberry.UNSET:
            continue
        name = field.name
        if name in ids:
            name, type_name = ids[field.name]
            try:
                value = (
                    input_ids(type_name, value, name) if isinstance(value, list) else input_id(type_name, value, name)
                )
            except InvalidInput as exc:
                problems.extend(exc.field_errors)
                continue
        values[name] = value
    code: str | None = None
    try:
        command = await info.context.scope.parse(model, values, partial=partial, subject=subject)
    except InvalidInput as exc:
        problems.extend(exc.field_errors)
        code = exc.code if exc.code != InvalidInput.code else None  # a rule's own code (category_cycle)
    problems.raise_if_any(code=code)
    return command
