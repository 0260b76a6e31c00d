"""Strawberry types filled from domain models by field name, so that each type lists its fields once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy.engine import Row
from strawberry.types.base import get_object_definition

from schema.execution import HELD
from schema.relay import to_global_id


class FromModel:
    """A type whose fields take the same-named attributes of a domain model, except:

    - ``id`` (a ``Node``'s): the global id of ``model.id``;
    - the field ``rest_id`` names: ``model.id``, the id the REST surfaces use (``brand_id``);
    - a private field ``model``: the model itself, for the type's own resolvers;
    - the private field ``held`` (``schema.execution``): left at its default (nothing held).

    The model may also be a plain SQLAlchemy ``Row`` whose columns are named as the model's attributes (the
    repositories' ``*_row*`` reads): the same values, read by position.

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
        plan = _PLANS.get(cls)
        if plan is None:
            plan = _PLANS[cls] = _Plan(cls)
        if given:
            return cls(**plan.values(model, given))
        built: Self = plan.make(model, plan.read_row(model)(model) if isinstance(model, Row) else plan.read(model))
        return built


class _Plan:
    """How one type is built (worked out once per type: reading the dataclass fields anew for every object
    built was a tenth of a product page's time).

    Every copied attribute is read in one call (``attrgetter`` of them all; for rows, ``itemgetter`` of their
    positions, worked out once per result: rows of one result share their metadata, ``Row._parent``), and
    the object is made by one generated call of the type with every field by keyword."""

    def __init__(self, cls: type) -> None:
        rest_id = getattr(cls, "rest_id", None)
        self.fields: list[tuple[str, str]] = []  # (field, what it takes: an attribute, or _GLOBAL_ID / _MODEL)
        for field in dataclasses.fields(cls):
            if not field.init or field.name == HELD:
                continue
            name = field.name
            if name == "id":
                self.fields.append((name, _GLOBAL_ID))
            elif name == rest_id:
                self.fields.append((name, "id"))
            elif name == "model":
                self.fields.append((name, _MODEL))
            else:
                self.fields.append((name, name))
        # The attributes read, each once, in order ("id" for the global id too).
        self.sources: list[str] = list(
            dict.fromkeys("id" if source is _GLOBAL_ID else source for _, source in self.fields if source is not _MODEL)
        )
        self.read: Callable[[Any], tuple[Any, ...]] = _reader(self.sources, attrgetter)
        self._row_layout: tuple[object, Callable[[Any], tuple[Any, ...]]] | None = None
        self.type_name = get_object_definition(cls, strict=True).name
        position = {source: i for i, source in enumerate(self.sources)}
        arguments = []
        for name, source in self.fields:
            if source is _GLOBAL_ID:
                arguments.append(f"{name}=to_global_id(type_name, values[{position['id']}])")
            elif source is _MODEL:
                arguments.append(f"{name}=model")
            else:
                arguments.append(f"{name}=values[{position[source]}]")
        code = f"def make(model, values):\n    return cls({', '.join(arguments)})\n"
        names: dict[str, Any] = {"cls": cls, "to_global_id": to_global_id, "type_name": self.type_name}
        exec(compile(code, f"<build {cls.__name__}>", "exec"), names)  # our own field names
        self.make: Callable[[Any, tuple[Any, ...]], Any] = names["make"]

    def read_row(self, row: Any) -> Callable[[Any], tuple[Any, ...]]:
        """What reads the attributes from rows of ``row``'s result, by position."""
        parent = row._parent
        layout = self._row_layout
        if layout is None or layout[0] is not parent:
            columns = row._fields
            if all(columns.count(s) == 1 for s in self.sources):
                reader = _reader([columns.index(s) for s in self.sources], itemgetter)
            else:  # a column missing (or repeated): by name, as a model (and its error)
                reader = self.read
            layout = self._row_layout = (parent, reader)
        return layout[1]

    def values(self, model: Any, given: dict[str, Any]) -> dict[str, Any]:
        """Every field's value by name: ``given`` ones, the others read from ``model`` (only those)."""
        out = dict(given)
        for name, source in self.fields:
            if name in out:
                continue
            if source is _GLOBAL_ID:
                out[name] = to_global_id(self.type_name, model.id)
            elif source is _MODEL:
                out[name] = model
            else:
                out[name] = getattr(model, source)
        return out


def _reader(keys: list[Any], getter: Callable[..., Any]) -> Callable[[Any], tuple[Any, ...]]:
    """One call reading every key as a tuple (``attrgetter``/``itemgetter`` of one key return the value)."""
    if not keys:
        return lambda obj: ()
    if len(keys) == 1:
        one = getter(keys[0])
        return lambda obj: (one(obj),)
    many: Callable[[Any], tuple[Any, ...]] = getter(*keys)
    return many


_GLOBAL_ID = "\0global id"
_MODEL = "\0model"
_PLANS: dict[type, _Plan] = {}
