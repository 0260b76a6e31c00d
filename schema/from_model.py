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
        for name, source in _plan(cls):
            if name in values:
                continue
            if source is _GLOBAL_ID:
                values[name] = to_global_id(get_object_definition(cls, strict=True).name, model.id)
            elif source is _MODEL:
                values[name] = model
            else:
                values[name] = getattr(model, source)
        return cls(**values)


_GLOBAL_ID = "\0global id"
_MODEL = "\0model"
_PLANS: dict[type, tuple[tuple[str, str], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, str], ...]:
    """Each init field of ``cls`` and where its value comes from (worked out once per type: reading the
    dataclass fields anew for every object built was a tenth of a product page's time)."""
    found = _PLANS.get(cls)
    if found is None:
        rest_id = getattr(cls, "rest_id", None)
        plan: list[tuple[str, str]] = []
        for field in dataclasses.fields(cls):
            if not field.init:
                continue
            name = field.name
            if name == "id":
                plan.append((name, _GLOBAL_ID))
            elif name == rest_id:
                plan.append((name, "id"))
            elif name == "model":
                plan.append((name, _MODEL))
            else:
                plan.append((name, name))
        found = _PLANS[cls] = tuple(plan)
    return found
