"""Strawberry types filled from domain models by field name, so that each type lists its fields once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy.engine import Row
from strawberry.types.base import get_object_definition

from domain.plain_rows import PlainRow
from schema.execution import HELD, own_classes
from schema.relay import to_global_id


class FromModel:
    """A type whose fields take the same-named attributes of a domain model, except:

    - ``id`` (a ``Node``'s): the global id of ``model.id``;
    - the field ``rest_id`` names: ``model.id``, the id the REST surfaces use (``brand_id``);
    - a private field ``model``: the model itself, for the type's own resolvers;
    - the private field ``held`` (``schema.execution``): left at its default (nothing held).

    The model may also be a plain SQLAlchemy ``Row`` whose columns are named as the model's attributes (the
    repositories' ``*_row*`` reads): the same values, read by position. From asyncpg's plain rows
    (``domain.plain_rows``) the objects are row-backed instead: they keep the row and read each field from it
    when it is read (``_Plan.backed_class``; their columns are read-only).

    A type whose other fields differ from its model's attributes gives them to ``build``.
    """

    rest_id: ClassVar[str | None] = None
    # Strawberry's ``is_type_of`` reads this first (``strawberry.cast`` sets it on an object): found here, the
    # read does not go through ``__getattr__`` and its AttributeError for every object completed.
    __as_strawberry_type__ = None

    if TYPE_CHECKING:

        def __init__(self, **values: Any) -> None: ...

    if not TYPE_CHECKING:  # (for the type checker, no attribute is dynamic)

        def __getattr__(self, name: str) -> Any:
            """Only for a ``Node``'s ``id`` not worked out yet (``_Plan``): the global id of the raw id kept."""
            if name == "id":
                found = self.__dict__
                if _RAW_ID in found:
                    value = found["id"] = to_global_id(_plan(type(self)).type_name, found[_RAW_ID])
                    return value
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def from_model(cls, model: Any) -> Self:
        return cls.build(model)

    @classmethod
    def from_models(cls, models: Iterable[Any]) -> list[Self]:
        """``from_model`` of each model (or row), in one loop: the type's plan and a result's row layout are
        looked up once, and each object is made there (no call per object besides the reads). A type with a
        ``from_model`` of its own (values of its own to give ``build``) is made by it, one by one."""
        if cls.from_model.__func__ is not FromModel.from_model.__func__:  # type: ignore[attr-defined]
            return [cls.from_model(model) for model in models]
        built: list[Self] = _plan(cls).make_all(models)
        return built

    @classmethod
    def build(cls, model: Any, **given: Any) -> Self:
        """The type from ``model``, with ``given`` values for the fields named there."""
        plan = _plan(cls)
        if given:
            return cls(**plan.values(model, given))
        built: Self = plan.make_all((model,))[0]
        return built


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


class _Plan:
    """How one type is built (worked out once per type: reading the dataclass fields anew for every object
    built was a tenth of a product page's time).

    Every copied attribute is read in one call (``attrgetter`` of them all; for rows, ``itemgetter`` of their
    positions, worked out once per result: rows of one result share their metadata, ``Row._parent``), in the
    order of the fields. The object is then made without its dataclass ``__init__`` (a keyword call with some
    thirty arguments and as many attribute stores was most of a page's object building): its ``__dict__`` is
    the fields zipped with the values, in C. A ``Node``'s global id is worked out when first read
    (``FromModel.__getattr__``): a page that does not select ``id`` does not encode it. A type whose
    ``__init__`` does more than store its fields (``__post_init__``, a field it does not take) is made by
    calling it, as before."""

    def __init__(self, cls: type) -> None:
        rest_id = getattr(cls, "rest_id", None)
        self.fields: list[tuple[str, str]] = []  # (field, what it takes: an attribute, or _GLOBAL_ID / _MODEL)
        plain = not hasattr(cls, "__post_init__")  # whether __init__ only stores the fields
        for field in dataclasses.fields(cls):
            if not field.init:  # a resolver's field; one with a default __init__ would store
                if field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING:
                    plain = False
                continue
            if field.name == HELD:
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
        self.type_name = get_object_definition(cls, strict=True).name
        self.lazy_id = plain and any(source is _GLOBAL_ID for _, source in self.fields)
        # What is read, once per object, in one call: the attribute of each field, in the fields' order (an
        # attribute two fields take is read twice); the global id's when it is not lazy.
        read = [(name, source) for name, source in self.fields if source is not _MODEL]
        if self.lazy_id:  # the raw id is kept, the global id made from it when read
            read = [(_RAW_ID, "id") if source is _GLOBAL_ID else (name, source) for name, source in read]
        self.stored: tuple[str, ...] = tuple(name for name, _ in read)
        self.sources: list[str] = ["id" if source is _GLOBAL_ID else source for _, source in read]
        self.read: Callable[[Any], tuple[Any, ...]] = _reader(self.sources, attrgetter)
        self._row_layout: tuple[object, Callable[[Any], tuple[Any, ...]]] | None = None
        self._backed: dict[object, type | None] = {}  # by the layout of plain rows (one per statement)
        self.cls, self.has_model = cls, any(s is _MODEL for _, s in self.fields)
        # A type whose __init__ does more than store its fields is made by calling it (``make``); a plain one
        # is made in ``make_all``.
        self.make: Callable[[Any, tuple[Any, ...]], Any] | None = None
        if not plain:
            arguments = []
            for i, (name, source) in enumerate(read):
                if source is _GLOBAL_ID:
                    arguments.append(f"{name}=to_global_id(type_name, values[{i}])")
                else:
                    arguments.append(f"{name}=values[{i}]")
            if any(source is _MODEL for _, source in self.fields):
                arguments.append("model=model")
            code = f"def make(model, values):\n    return cls({', '.join(arguments)})\n"
            names: dict[str, Any] = {"cls": cls, "to_global_id": to_global_id, "type_name": self.type_name}
            exec(compile(code, f"<build {cls.__name__}>", "exec"), names)  # our own field names
            self.make = names["make"]

    def make_all(self, models: Iterable[Any]) -> list[Any]:
        """The objects of ``models``: each model's (or row's) values read in one call, then the object made."""
        if self.make is not None:
            make = self.make
            return [make(m, self.read_row(m)(m) if isinstance(m, _ROWS) else self.read(m)) for m in models]
        cls, new, stored, has_model, read = self.cls, object.__new__, self.stored, self.has_model, self.read
        out: list[Any] = []
        parent, read_row, backed = None, read, None
        for model in models:
            if isinstance(model, _ROWS):
                if model._parent is not parent:
                    parent, read_row = model._parent, self.read_row(model)
                    backed = self.backed_class(model) if isinstance(model, PlainRow) else None
                if backed is not None:  # the row itself holds the values
                    row_backed: Any = new(backed)
                    row_backed._row = model
                    out.append(row_backed)
                    continue
                values = read_row(model)
            else:
                values = read(model)
            found = dict(zip(stored, values, strict=True))
            if has_model:
                found["model"] = model
            built: Any = new(cls)
            built.__dict__ = found
            out.append(built)
        return out

    def backed_class(self, row: Any) -> type | None:
        """The subclass whose objects read their fields from rows like ``row`` (asyncpg's plain rows, whose
        layout is the statement's: ``row._parent``), or None when a field's column is missing or repeated.

        Making an object then stores the row alone (in the slot ``_row``), where the plain way builds a dict of
        every field (some 35 for a product) that the answer mostly does not read: a field is the row's column,
        read when it is read, in C (``attrgetter("_row.title")`` as a property, through the row's own
        property). The fields are read-only on such an object (a private field such as ``held``, which is not a
        column, is set as on any object). The subclass is one of the type's own classes for the executor
        (``schema.execution.own_classes``)."""
        parent = row._parent
        if parent in self._backed:
            return self._backed[parent]
        columns, row_class = row._fields, type(row)
        backed: type | None = None
        if all(columns.count(s) == 1 for s in ("id", *self.sources)):
            namespace: dict[str, Any] = {"__slots__": ("_row",)}
            for name, source in self.fields:
                if source is _MODEL:
                    namespace[name] = property(attrgetter("_row"))
                elif source is _GLOBAL_ID:
                    namespace[name] = _GlobalId(columns.index("id"), self.type_name)
                elif isinstance(getattr(row_class, source, None), property):  # the row's column, in C
                    namespace[name] = property(attrgetter(f"_row.{source}"))
                else:  # a column the row does not give as an attribute (``count``): by position
                    namespace[name] = property(_at(columns.index(source)))
            backed = type(self.cls.__name__, (self.cls,), namespace)
            own_classes(self.cls).add(backed)
        self._backed[parent] = backed
        return backed

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


def _at(index: int) -> Callable[[Any], Any]:
    """A row-backed object's column at ``index`` of its row."""

    def read(obj: Any) -> Any:
        return obj._row[index]

    return read


class _GlobalId:
    """A row-backed ``Node``'s ``id``: the global id of the row's ``id``, made when read."""

    __slots__ = ("index", "type_name")

    def __init__(self, index: int, type_name: str) -> None:
        self.index, self.type_name = index, type_name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return to_global_id(self.type_name, obj._row[self.index])


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
_RAW_ID = "_raw_id"  # where a built object keeps the raw id its lazy global id is made from
_MODEL = "\0model"
_PLANS: dict[type, _Plan] = {}
_ROWS = (PlainRow, Row)  # rows read by position (``domain.plain_rows``' rows read as SQLAlchemy's do)
