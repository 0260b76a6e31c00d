"""Response bodies rendered from the TypedDicts that document them, so each shape is declared once.

``Body(Model, ShapeJson, stamp=...)`` reads the shape's keys once; rendering a ``Model`` then copies those keys,
in the shape's order (the wire's), from its attributes of the same names. Timestamps (keys ending in
``_at``) go through the surface's ``stamp`` format and ``convert`` keys through their own function;
``computed`` keys (not attributes) come from a function of the object; ``passed`` keys (counts, relations) and
the shape's ``NotRequired`` keys come from the caller::

    offer_json = Body(Offer, OfferJson, stamp=ts)
    counted_brand = Body(Brand, CountedBrandJson, stamp=ts, passed={"products_count"})

    offer_json(offer)
    counted_brand(brand, products_count=3)

The source may also be a plain SQLAlchemy ``Row`` whose columns are named as the keys (``Body(Row, ...)``):
its values are read by position, not by name.

Each shape is compiled once into a function that builds the body as one dict display (the keys in the
shape's order, each value read, converted, computed or passed as the shape says): one per set of passed keys
and, for rows, per column layout. The values of an object are read by one ``operator.attrgetter``; those of a
row by index (reading a ``Row`` by attribute costs about forty times as much). A row's layout is worked out
from its ``_fields`` once per result (rows of one result share their metadata, ``Row._parent``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import Any, Generic, NotRequired, TypeVar, cast, get_origin, get_type_hints

import typing_extensions
from sqlalchemy.engine import Row

S = TypeVar("S")
T = TypeVar("T", bound=Mapping[str, Any])

_NOT_REQUIRED = (NotRequired, typing_extensions.NotRequired)

# A compiled body: (the object, its copied values in order, the passed values) -> the body.
_Render = Callable[[Any, Sequence[Any], Mapping[str, Any]], dict[str, Any]]


class Body(Generic[S, T]):
    """Renders ``S`` objects as ``T`` bodies."""

    def __init__(
        self,
        source: type[S],
        shape: type[T],
        *,
        stamp: Callable[[Any], Any] | None = None,
        convert: Mapping[str, Callable[[Any], Any]] | None = None,
        computed: Mapping[str, Callable[[S], Any]] | None = None,
        passed: Collection[str] = (),
    ) -> None:
        self.source, self.shape = source, shape
        hints = get_type_hints(shape, include_extras=True)
        computed = dict(computed or {})
        self._order = list(hints)
        # ``__optional_keys__`` misses ``NotRequired`` written as a string annotation, so the hints are asked too.
        not_required = {k for k, h in hints.items() if get_origin(h) in _NOT_REQUIRED}
        self._optional = frozenset(getattr(shape, "__optional_keys__", ())) | not_required
        self._keys = [k for k in self._order if k not in self._optional]
        self._passed = frozenset(passed) | self._optional
        convert = dict(convert or {})
        unknown = (set(computed) | set(convert) | self._passed) - set(self._order)
        if unknown:
            raise TypeError(f"{shape.__name__} has no key {', '.join(sorted(unknown))}")
        self._copied = [k for k in self._keys if k not in computed and k not in self._passed]
        self._read = _reader(self._copied)
        stamped = {k: stamp for k in self._copied if k.endswith("_at")} if stamp is not None else {}
        self._converted = {k: fn for k, fn in {**stamped, **convert}.items() if k in self._copied}
        self._computed = computed
        self._required_passed = frozenset(passed) - self._optional
        self._rows = isinstance(source, type) and issubclass(source, Row)
        # The last row layout seen: (the rows' metadata, what reads the copied values from such a row).
        self._layout: tuple[object, Callable[[object], tuple[Any, ...]]] | None = None
        self._compiled: dict[tuple[str, ...], _Render] = {}  # by the passed keys, in the order given

    def __call__(self, obj: S, **given: Any) -> T:
        if self._rows:
            layout = self._layout
            if layout is None or layout[0] is not obj._parent:  # type: ignore[attr-defined]  # a Row's metadata
                layout = self._row_layout(obj)
            values = layout[1](obj)  # one value per copied key, by index
        else:
            values = self._read(obj)  # one value per copied key, by attribute
        render = self._compiled.get(tuple(given))
        if render is None:
            render = self._compile(tuple(given))
        return cast(T, render(obj, values, given))

    def _row_layout(self, row: Any) -> tuple[object, Callable[[object], tuple[Any, ...]]]:
        """What reads the copied keys' values from rows like ``row`` by index: worked out once for the rows of
        one result, which share their metadata (``Row._parent``)."""
        fields = row._fields
        missing = [k for k in self._copied if k not in fields]
        repeated = [k for k in self._copied if fields.count(k) > 1]
        if missing or repeated:
            problem = f"no column {missing}" if missing else f"more than one column {repeated}"
            raise AttributeError(f"a row rendered as {self.shape.__name__} has {problem}")
        self._layout = (row._parent, _reader([fields.index(k) for k in self._copied], itemgetter))
        return self._layout

    def _compile(self, given: tuple[str, ...]) -> _Render:
        """The function that renders a body with these passed keys from the copied values (in ``_copied``'s
        order): one dict display."""
        keys = self._keys_with(given) if given or self._required_passed else self._keys
        position = {k: i for i, k in enumerate(self._copied)}
        names: dict[str, Any] = {}
        items: list[str] = []
        for n, key in enumerate(keys):
            if key in given:
                value = f"given[{key!r}]"
            elif key in self._computed:
                names[f"computed_{n}"] = self._computed[key]
                value = f"computed_{n}(obj)"
            else:
                value = f"values[{position[key]}]"
                if key in self._converted:
                    names[f"convert_{n}"] = self._converted[key]
                    value = f"convert_{n}({value})"
            items.append(f"{key!r}: {value}")
        source = "def render(obj, values, given):\n    return {" + ", ".join(items) + "}\n"
        exec(compile(source, f"<body {self.shape.__name__}>", "exec"), names)  # keys: the shape's own, as literals
        render = cast(_Render, names["render"])
        self._compiled[given] = render
        return render

    def _keys_with(self, given: Collection[str]) -> list[str]:
        """The keys of a body with these passed values, in the shape's order; a passed key the shape does not
        take, or a required one missing, is an error."""
        names = frozenset(given)
        unknown = names - self._passed
        missing = self._required_passed - names
        if unknown or missing:
            raise TypeError(f"passed {sorted(names)}; expected {sorted(self._required_passed)} and optional ones")
        return [k for k in self._order if k not in self._optional or k in names]


def _reader(keys: Sequence[Any], getter: Callable[..., Any] = attrgetter) -> Callable[[object], tuple[Any, ...]]:
    """One call that reads every attribute (or item): ``attrgetter`` and ``itemgetter`` of one key return the
    value, not a tuple."""
    if not keys:
        return lambda obj: ()
    if len(keys) == 1:
        one = getter(keys[0])
        return lambda obj: (one(obj),)
    return cast(Callable[[object], tuple[Any, ...]], getter(*keys))
