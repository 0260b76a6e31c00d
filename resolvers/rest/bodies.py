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

Rendering costs about what a hand-written dict literal does: the attributes are read by one
``operator.attrgetter`` and the body is filled from a key template.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from operator import attrgetter
from typing import Any, Generic, NotRequired, TypeVar, cast, get_origin, get_type_hints

import typing_extensions

S = TypeVar("S")
T = TypeVar("T", bound=Mapping[str, Any])

_NOT_REQUIRED = (NotRequired, typing_extensions.NotRequired)


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
        self._plain = self._copied == self._keys  # every key is an attribute: no template needed
        stamped = {k: stamp for k in self._copied if k.endswith("_at")} if stamp is not None else {}
        self._converted = [(k, fn) for k, fn in {**stamped, **convert}.items() if k in self._copied]
        self._computed = list(computed.items())
        self._required_passed = frozenset(passed) - self._optional
        self._orders: dict[frozenset[str], list[str]] = {}

    def __call__(self, obj: S, **given: Any) -> T:
        values = self._read(obj)  # exactly one value per copied key
        if self._plain and not given:
            body = dict(zip(self._copied, values, strict=False))
        else:
            # The template puts computed and passed keys where the shape has them.
            body = dict.fromkeys(self._keys_with(given) if given or self._required_passed else self._keys)
            body.update(zip(self._copied, values, strict=False))
            for key, compute in self._computed:
                body[key] = compute(obj)
            body.update(given)
        for key, convert in self._converted:
            body[key] = convert(body[key])
        return cast(T, body)

    def _keys_with(self, given: Mapping[str, Any]) -> list[str]:
        """The keys of a body with these passed values, in the shape's order (cached per set of keys)."""
        names = frozenset(given)
        keys = self._orders.get(names)
        if keys is None:
            unknown = names - self._passed
            missing = self._required_passed - names
            if unknown or missing:
                raise TypeError(f"passed {sorted(names)}; expected {sorted(self._required_passed)} and optional ones")
            keys = [k for k in self._order if k not in self._optional or k in names]
            self._orders[names] = keys
        return keys


def _reader(keys: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """One call that reads every attribute (``attrgetter`` of one name returns the value, not a tuple)."""
    if not keys:
        return lambda obj: ()
    if len(keys) == 1:
        one = attrgetter(keys[0])
        return lambda obj: (one(obj),)
    return attrgetter(*keys)
