"""Strawberry types filled from domain models by field name, so that each type lists its fields once."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, Self

from strawberry.types.base import get_object_definition

from schema.relay import to_global_id


class FromModel:
    """A type whose fields take the same-named attributes of a domain model, except:

    - ``id`` (a ``Node``'s): the global id of ``model.id``;
    - the field ``rest_id`` names: ``model.id``, the id the REST surfaces use (``brand_id``);
    - a private field ``model``: the model itself, for the type's own resolvers.

    A type whose other fields differ from its model's attributes gives them to ``build``.
    """

    rest_id: ClassVar[str | None] = None

    if TYPE_CHECKING:

        def __init__(self, **values: Any) -> None: ...

    @classmethod
    def from_model(cls, model: Any) -> Self:
        return cls.build(model)

    @classmethod
    def build(cls, model: Any, **given: Any) -> Self:
        """The type from ``model``, with ``given`` values for the fields named there."""
        values = dict(given)
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            name = field.name
            if name in values or not field.init:
                continue
            if name == "id":
                values[name] = to_global_id(get_object_definition(cls, strict=True).name, model.id)
            elif name == cls.rest_id:
                values[name] = model.id
            elif name == "model":
                values[name] = model
            else:
                values[name] = getattr(model, name)
        return cls(**values)
