"""One way to validate input, for every area and every surface: pydantic models.

A surface (REST handler, GraphQL resolver) turns what it received into a command model with
``await parse(Model, data, refs=...)`` before it calls a service. Every problem is reported at once, as
``FieldError``s (``domain.errors``): pydantic's type and shape checks, the fields a create requires, whether
the ids a field names exist in the caller's workspace (``Ref``) and whether a value another object already
holds is sent for a field that must be unique (``Unique``). The state checks run whatever else is wrong,
skipping only the fields that did not parse: a client learns every problem of a body from one answer.
Services keep checking what needs the current state (the same uniqueness, in the transaction that writes;
a category made its own ancestor) and raise the same structured errors. Surfaces render them in their own
words.

Rule names (``FieldError.rule``) are stable: ``required``, ``not_null``, ``string``, ``integer``,
``boolean``, ``number``, ``array``, ``object``, ``max_length``, ``min_length``, ``max_items``,
``min_items``, ``min``, ``max``, ``between``, ``in``, ``url``, ``email``, ``date``, ``exists``, ``unique``,
``unknown``, ``pattern``, ``invalid`` (and any rule a model raises itself with ``rule_error``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, GetJsonSchemaHandler, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

from domain.errors import FieldError, InvalidInput, Loc

M = TypeVar("M", bound=BaseModel)
J = TypeVar("J")

INT_MAX = 2_147_483_647  # integer columns and ids are 32-bit on every backend
INT_MIN = -(2**31)

_RULES = {
    "missing": "required",
    "string_type": "string",
    "string_sub_type": "string",
    "string_unicode": "string",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "int_parsing_size": "integer",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "float_type": "number",
    "float_parsing": "number",
    "finite_number": "number",
    "list_type": "array",
    "tuple_type": "array",
    "set_type": "array",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_items",
    "too_short": "min_items",
    "greater_than_equal": "min",
    "less_than_equal": "max",
    "greater_than": "gt",
    "less_than": "lt",
    "literal_error": "in",
    "enum": "in",
    "url_parsing": "url",
    "url_scheme": "url",
    "url_type": "url",
    "datetime_parsing": "date",
    "datetime_type": "date",
    "datetime_from_date_parsing": "date",
    "date_parsing": "date",
    "date_type": "date",
    "extra_forbidden": "unknown",
    "string_pattern_mismatch": "pattern",
    "value_error": "invalid",
    "assertion_error": "invalid",
    "uuid_parsing": "uuid",
    "uuid_type": "uuid",
}

_PARAMS = {"max_length": "max", "min_length": "min", "ge": "min", "le": "max", "gt": "gt", "lt": "lt"}

_MESSAGES = {
    "max_length": "Must be at most {max} characters.",
    "min_length": "Must be at least {min} characters.",
    "max_items": "Must have at most {max} items.",
    "min_items": "Must have at least {min} items.",
}
_COLLECTIONS = ("List", "Tuple", "Set", "Frozenset", "Dict", "Dictionary")
_NOT_PARAMS = ("error", "field_type", "actual_length")

# Union members and validator wrappers that pydantic adds to an error's location ("value.str").
_LOC_TAG = re.compile(r"^(str|int|float|bool|none|constrained-str|list\[.*\]|dict\[.*\]|[a-z-]+\[.*\])$")


def rule_error(rule: str, message: str, **params: Any) -> PydanticCustomError:
    """Raise from a validator to report ``rule`` with ``params``: ``raise rule_error("unique", "...")``."""
    return PydanticCustomError(rule, message, params)


def field_errors(exc: ValidationError, prefix: Loc = ()) -> list[FieldError]:
    """A pydantic error as ``FieldError``s with stable rule names, one per location and rule."""
    out: list[FieldError] = []
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        loc: Loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and _LOC_TAG.match(p)))
        kind = str(err["type"])
        rule = _RULES.get(kind, kind)
        ctx = dict(err.get("ctx") or {})
        # pydantic words a length check on an optional or validated value as "Value should have at most 255
        # items" whatever the value is: reword it, as a string's length or a list's size.
        generic = kind in ("too_long", "too_short") and ctx.get("field_type") not in _COLLECTIONS
        if generic and isinstance(err.get("input"), str):
            rule = "max_length" if kind == "too_long" else "min_length"
        params: dict[str, Any] = {_PARAMS.get(k, k): v for k, v in ctx.items() if k not in _NOT_PARAMS}
        if rule in ("in",) and "expected" in params:
            params["values"] = re.findall(r"'([^']*)'", str(params.pop("expected")))
        message = _MESSAGES[rule].format(**params) if generic else str(err["msg"])
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if (loc, rule) in seen:
            continue
        seen.add((loc, rule))
        out.append(FieldError(loc, rule, message, params))
    return out


# --- field markers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The field names ids of ``kind`` (``brand``, ``category`` ...) that must exist in the workspace.

    ``cycle``: the field names the parent of the object an update changes (the ``subject``), which must be
    neither that object nor one of its descendants; the message of rule ``not_descendant`` (and ``cycle_code``
    the error's code) when it is."""

    kind: str
    cycle: str | None = None
    cycle_code: str | None = None


class Required:
    """A field a create must send, and never as null or blank. Updates may leave it out.

    ``alternatives`` name fields that stand in for it (a deprecated alias): a create sending one of them with a
    value satisfies it, and an update that sends it blank is refused unless one of them carries a value."""

    def __init__(self, *alternatives: str) -> None:
        self.alternatives = alternatives

    def __get_pydantic_json_schema__(self, core: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core)
        # Documented on the field (one schema serves creates and updates): JSON Schema's "required" would be
        # wrong for an update.
        schema["x-required-on-create"] = True
        return schema


REQUIRED = Required()


@dataclass(frozen=True)
class Unique:
    """The field holds a value no other object of ``kind`` may hold (``"brand.slug"``, ``"page.key"``):
    ``parse`` asks ``UniqueValues.taken`` with the other checks. ``normalise`` gives the value as it is stored
    (a slug made URL-safe); a value that is blank, or normalises to nothing, is not checked."""

    kind: str
    message: str = "This value is already taken."
    normalise: Callable[[str], str] | None = None


class References(Protocol):
    """Which of ``ids`` name live objects of ``kind`` in the caller's workspace."""

    async def known(self, kind: str, ids: Sequence[int]) -> set[int]: ...


@runtime_checkable
class StateRules(Protocol):
    """References that also know the rules of the current state: whether an object other than ``subject`` holds
    ``value`` for a ``Unique`` field of ``kind``, and whether ``parent_id`` is ``subject`` or one of its
    descendants (a ``Ref`` with ``cycle``). With them ``parse`` reports these with the other problems; the
    services check them again where they write (the only place that settles a race)."""

    async def taken(self, kind: str, value: str, subject: int | None) -> bool: ...

    async def makes_cycle(self, kind: str, subject: int, parent_id: int) -> bool: ...


def _not_null(value: Any) -> Any:
    if value is None:
        raise rule_error("not_null", "Must not be null.")
    return value


def _present(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise rule_error("required", "This field is required.")
    return value


NotNull = BeforeValidator(_not_null)
"""A field that may be left out but never sent as null."""

Present = BeforeValidator(_present)
"""A field that, when sent, is neither null nor blank (pair it with ``REQUIRED`` for creates)."""


# --- shared value types --------------------------------------------------------------------------------


def _strict_int32(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise rule_error("integer", "Must be an integer.")
    if not -INT_MAX <= value <= INT_MAX:
        raise rule_error("between", f"Must be between {-INT_MAX} and {INT_MAX}.", min=-INT_MAX, max=INT_MAX)
    return value


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain non-negative integer: ASCII digits only ("²" and "٣" are digits to
    ``str.isdigit()``, and ``int()`` fails on the one and reads the other as 3)."""
    return text.isascii() and text.isdigit()


def parse_lax_int(value: Any) -> int | None:
    """An integer that fits an INTEGER column, from a JSON number or a string of digits."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        number = int(value.strip())
    if number is None or not INT_MIN <= number <= INT_MAX:
        return None
    return number


def _lax_int(value: Any) -> int:
    number = parse_lax_int(value)
    if number is None:
        raise rule_error("integer", "Must be an integer.")
    return number


def parse_lax_bool(value: Any) -> bool | None:
    """``true``/``false``, 1/0, and the strings "1", "0", "true", "false" (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("1", "0", "true", "false"):
        return value.strip().lower() in ("1", "true")
    return None


def _lax_bool(value: Any) -> bool:
    parsed = parse_lax_bool(value)
    if parsed is None:
        raise rule_error("boolean", "Must be true or false.")
    return parsed


def _bool01(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise rule_error("boolean", "Must be true or false.")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise rule_error("number", "Must be a number.")
    return float(value)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as text, or None when it can: a NUL character (PostgreSQL refuses it)
    or an unpaired surrogate (no encoder writes it)."""
    if "\x00" in text:
        return "strings must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "strings must be valid Unicode (an unpaired surrogate was sent)"
    return None


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise rule_error("string", "Must be a string.")
    problem = text_problem(value)
    if problem:
        raise rule_error("text", problem.capitalize() + ".")
    return value


def _finite(value: J) -> J:
    """JSON that is stored as it is: NaN and Infinity have no JSON form (PostgreSQL refuses them; SQLite would
    store what no reader can parse back), so a document holding one is refused."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise rule_error("number", "Must hold finite numbers only.")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


def _array(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise rule_error("array", "Must be an array.")
    return _finite(value)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise rule_error("object", "Must be an object.")
    return _finite(value)


def _http_url(value: Any) -> str:
    text = _string(value)
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise rule_error("url", "Must be a valid http(s) URL.")
    return text


def parse_iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            d = date.fromisoformat(text)
        except ValueError:
            return None
        parsed = datetime(d.year, d.month, d.day)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    parsed = parse_iso_datetime(value)
    if parsed is None:
        raise rule_error("date", "Must be a valid date (ISO 8601).")
    return parsed


def _id_list(value: Any) -> list[int]:
    if not isinstance(value, list) or any(
        isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= INT_MAX for v in value
    ):
        raise rule_error("integer_array", "Must be an array of integer ids.")
    return list(dict.fromkeys(value))


def _lax_int_list(value: Any) -> list[int]:
    if not isinstance(value, list) or any(parse_lax_int(v) is None for v in value):
        raise rule_error("integer_array", "Must be an array of integers.")
    return list(dict.fromkeys(int(parse_lax_int(v) or 0) for v in value))


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


StrictInt32 = Annotated[int, BeforeValidator(_strict_int32)]
"""A JSON integer (never a string or a float) within the 32-bit id range."""
LaxInt = Annotated[int, BeforeValidator(_lax_int)]
"""An integer from a JSON number or a string of digits (the store's content fields take both)."""
Bool01 = Annotated[bool, BeforeValidator(_bool01)]
"""``true``/``false`` or 1/0."""
LaxBool = Annotated[bool, BeforeValidator(_lax_bool)]
"""``true``/``false``, 1/0, or "1"/"0"/"true"/"false"."""
Number = Annotated[float, BeforeValidator(_number)]
"""A finite JSON number."""
Str = Annotated[str, BeforeValidator(_string)]
"""A JSON string, taken as sent."""
Array = Annotated[list[Any], BeforeValidator(_array)]
JsonObject = Annotated[dict[str, Any], BeforeValidator(_object)]
HttpUrl = Annotated[str, BeforeValidator(_http_url)]
"""An absolute http(s) URL with a host."""
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
"""An ISO 8601 date or date-time, in UTC."""
IdList = Annotated[list[int], BeforeValidator(_id_list)]
"""A JSON array of positive integer ids; duplicates dropped, order kept."""
LaxIdList = Annotated[list[int], BeforeValidator(_lax_int_list)]
"""An array of integers or strings of digits; duplicates dropped, order kept."""


def stripped(validator: Callable[[Any], Any] = _string) -> BeforeValidator:
    """A string validator whose result is stripped of surrounding white space."""
    return BeforeValidator(lambda v: _stripped(validator(v)))


# --- commands ------------------------------------------------------------------------------------------


class Command(BaseModel):
    """Input to a domain service. Unknown fields are ignored (the store API's convention); fields marked
    ``REQUIRED`` must be sent when a create validates, not when an update does (``partial=True``).
    What the caller sent is ``model_fields_set``; ``sent()`` gives those values."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    def sent(self, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
        skip = set(exclude)
        return {name: getattr(self, name) for name in type(self).model_fields if name in self.model_fields_set - skip}


class StrictCommand(Command):
    """A command that refuses unknown fields (``unknown``)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


@dataclass(frozen=True)
class _FieldFacts:
    order: dict[str, int]
    required: tuple[tuple[str, tuple[str, ...]], ...]  # (key, the keys that stand in for it)
    refs: tuple[tuple[str, Ref, TypeAdapter[Any]], ...]
    uniques: tuple[tuple[str, Unique, TypeAdapter[Any]], ...]
    aliases: dict[str, str]


def _marker(info: FieldInfo, kind: type[Any]) -> Any:
    return next((m for m in info.metadata if isinstance(m, kind)), None)


@cache
def _facts(model: type[BaseModel]) -> _FieldFacts:
    order: dict[str, int] = {}
    required: list[tuple[str, tuple[str, ...]]] = []
    refs: list[tuple[str, Ref, TypeAdapter[Any]]] = []
    uniques: list[tuple[str, Unique, TypeAdapter[Any]]] = []
    aliases: dict[str, str] = {}
    for index, (name, info) in enumerate(model.model_fields.items()):
        key = info.alias or name
        aliases[name] = key
        order[key] = index
        marker = _marker(info, Required)
        if marker is not None:
            required.append((key, marker.alternatives))
        ref = _marker(info, Ref)
        unique = _marker(info, Unique)
        if ref is not None or unique is not None:
            annotated = Annotated[info.annotation, *info.metadata]  # type: ignore[name-defined]
            if ref is not None:
                refs.append((key, ref, TypeAdapter(annotated)))
            if unique is not None:
                uniques.append((key, unique, TypeAdapter(annotated)))
    return _FieldFacts(order, tuple(required), tuple(refs), tuple(uniques), aliases)


def _sorted(model: type[BaseModel], errors: list[FieldError], prefix: Loc) -> list[FieldError]:
    order = _facts(model).order
    depth = len(prefix)

    def key(e: FieldError) -> int:
        head = e.loc[depth] if len(e.loc) > depth else ""
        return order.get(str(head), len(order))

    return sorted(errors, key=key)


def _validate(model: type[M], data: Any, *, partial: bool, prefix: Loc) -> tuple[M | None, list[FieldError]]:
    facts = _facts(model)
    errors: list[FieldError] = []
    value: M | None = None
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc, prefix)
    if isinstance(data, Mapping):
        reported = {e.loc[len(prefix)] for e in errors if len(e.loc) > len(prefix)}
        for key, alternatives in facts.required:
            if key in reported or any(a in reported for a in alternatives):
                continue
            if alternatives:
                missing = _missing_with_alternatives(data, key, alternatives, partial=partial)
            else:
                missing = not partial and key not in data
            if missing:
                errors.append(FieldError((*prefix, key), "required", "This field is required."))
    return value, errors


def _has_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _missing_with_alternatives(
    data: Mapping[str, Any], key: str, alternatives: tuple[str, ...], *, partial: bool
) -> bool:
    """A field that its ``alternatives`` may stand in for: missing when none of them carries a value, on a create
    always, on an update only when the field itself was sent (blank: the update would empty it)."""
    if any(_has_value(data.get(name)) for name in (key, *alternatives)):
        return False
    return not partial or key in data


async def parse(
    model: type[M],
    data: Any,
    *,
    partial: bool = False,
    refs: References | None = None,
    prefix: Loc = (),
    code: str | None = None,
    subject: int | None = None,
) -> M:
    """``data`` as ``model``, or ``InvalidInput`` listing every problem: types and shapes, the required
    fields a create left out, and (with ``refs``) ids that name nothing in the caller's workspace and values
    of ``Unique`` fields another object holds. ``subject`` is the object an update changes (its own values are
    not taken); an update without one leaves uniqueness to the service."""
    value, errors = _validate(model, data, partial=partial, prefix=prefix)
    facts = _facts(model)
    if facts.refs and isinstance(data, Mapping):
        if refs is None:
            raise TypeError(f"{model.__name__} names references: pass `refs=`")
        found = await _check_refs(facts, data, errors, refs, prefix, subject)
        errors.extend(found)
        code = code or next((c for c in (_cycle_code(facts, e, prefix) for e in found) if c), None)
    if facts.uniques and isinstance(refs, StateRules) and (subject is not None or not partial):
        errors.extend(await _check_uniques(facts, data, errors, refs, prefix, subject))
    if errors:
        raise InvalidInput(errors=_sorted(model, errors, prefix), code=code)
    assert value is not None
    return value


def parse_now(model: type[M], data: Any, *, partial: bool = False, prefix: Loc = (), code: str | None = None) -> M:
    """``parse`` for models that name no references (query strings, job parameters): no await needed."""
    if _facts(model).refs:
        raise TypeError(f"{model.__name__} names references: use `await parse(..., refs=...)`")
    value, errors = _validate(model, data, partial=partial, prefix=prefix)
    if errors:
        raise InvalidInput(errors=_sorted(model, errors, prefix), code=code)
    assert value is not None
    return value


async def _check_uniques(
    facts: _FieldFacts,
    data: Mapping[str, Any],
    errors: list[FieldError],
    refs: StateRules,
    prefix: Loc,
    subject: int | None,
) -> list[FieldError]:
    bad = {e.loc[len(prefix)] for e in errors if len(e.loc) > len(prefix)}
    out: list[FieldError] = []
    for key, unique, adapter in facts.uniques:
        if key not in data or key in bad:
            continue
        try:  # the value as the model reads it (stripped, made a slug ...): the one the service stores
            candidate = adapter.validate_python(data[key])
        except ValidationError:
            continue
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        stored = unique.normalise(candidate) if unique.normalise is not None else candidate
        if stored and await refs.taken(unique.kind, stored, subject):
            out.append(FieldError((*prefix, key), "unique", unique.message, {"kind": unique.kind}))
    return out


def _cycle_code(facts: _FieldFacts, error: FieldError, prefix: Loc) -> str | None:
    if error.rule != "not_descendant":
        return None
    return next((ref.cycle_code for key, ref, _ in facts.refs if (*prefix, key) == error.loc), None)


async def _check_refs(
    facts: _FieldFacts,
    data: Mapping[str, Any],
    errors: list[FieldError],
    refs: References,
    prefix: Loc,
    subject: int | None = None,
) -> list[FieldError]:
    bad = {e.loc[len(prefix)] for e in errors if len(e.loc) > len(prefix)}
    out: list[FieldError] = []
    for key, ref, adapter in facts.refs:
        if key not in data or key in bad or data[key] is None:
            continue
        try:
            ids = adapter.validate_python(data[key])
        except ValidationError:
            continue
        if ids is None:
            continue
        if isinstance(ids, int):
            if ids not in await refs.known(ref.kind, [ids]):
                out.append(FieldError((*prefix, key), "exists", f"No {ref.kind} with id {ids}.", {"kind": ref.kind}))
            elif ref.cycle and subject is not None and isinstance(refs, StateRules):
                if await refs.makes_cycle(ref.kind, subject, ids):
                    out.append(FieldError((*prefix, key), "not_descendant", ref.cycle))
            continue
        listed = list(ids)
        known = await refs.known(ref.kind, listed) if listed else set()
        for index, item in enumerate(listed):
            if item not in known:
                message = f"No {ref.kind} with id {item}."
                out.append(FieldError((*prefix, key, index), "exists", message, {"kind": ref.kind}))
    return out
