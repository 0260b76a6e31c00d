"""Request field validation in the store dialect (Laravel-style messages), before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from domain.errors import InvalidInput

MISSING: Any = object()


@dataclass(frozen=True)
class Field:
    """One accepted body field. ``kind``: str, text, bool, int, datetime, int_list."""

    name: str
    kind: str
    required: bool = False
    max_length: int | None = None
    nullable: bool = True
    minimum: int | None = None


def _label(name: str) -> str:
    return name.replace("_", " ")


class Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        messages = [m for ms in self.errors.values() for m in ms]
        message = messages[0]
        if len(messages) > 1:
            more = len(messages) - 1
            message += f" (and {more} more error{'s' if more > 1 else ''})"
        raise InvalidInput(message, errors=self.errors)


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("1", "0", "true", "false"):
        return value.strip().lower() in ("1", "true")
    return None


INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the database's INTEGER


def parse_int(value: Any) -> int | None:
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


def parse_datetime(value: Any) -> datetime | None:
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


def validate(body: dict[str, Any], fields: list[Field], errors: Errors, *, partial: bool) -> dict[str, Any]:
    """The known fields of ``body``, converted; problems go to ``errors``. Unknown keys are ignored."""
    out: dict[str, Any] = {}
    for f in fields:
        value = body.get(f.name, MISSING)
        label = _label(f.name)
        if value is MISSING:
            if f.required and not partial:
                errors.add(f.name, f"The {label} field is required.")
            continue
        if value is None or (f.kind in ("str", "text") and f.required and isinstance(value, str) and not value.strip()):
            if f.required:
                errors.add(f.name, f"The {label} field is required.")
            elif not f.nullable:
                errors.add(f.name, f"The {label} field must not be null.")
            else:
                out[f.name] = None
            continue
        if f.kind in ("str", "text"):
            if not isinstance(value, str):
                errors.add(f.name, f"The {label} field must be a string.")
                continue
            if f.max_length is not None and len(value) > f.max_length:
                errors.add(f.name, f"The {label} field must not be greater than {f.max_length} characters.")
                continue
            out[f.name] = value.strip() if f.kind == "str" else value
        elif f.kind == "bool":
            parsed = parse_bool(value)
            if parsed is None:
                errors.add(f.name, f"The {label} field must be true or false.")
                continue
            out[f.name] = parsed
        elif f.kind == "int":
            number = parse_int(value)
            if number is None:
                errors.add(f.name, f"The {label} field must be an integer.")
                continue
            if f.minimum is not None and number < f.minimum:
                errors.add(f.name, f"The {label} field must be at least {f.minimum}.")
                continue
            out[f.name] = number
        elif f.kind == "datetime":
            when = parse_datetime(value)
            if when is None:
                errors.add(f.name, f"The {label} field must be a valid date (ISO 8601).")
                continue
            out[f.name] = when
        elif f.kind == "int_list":
            if not isinstance(value, list) or any(parse_int(v) is None for v in value):
                errors.add(f.name, f"The {label} field must be an array of integers.")
                continue
            out[f.name] = list(dict.fromkeys(int(v) for v in value))
        else:  # pragma: no cover - a programming error
            raise ValueError(f"unknown field kind {f.kind}")
    return out


def check_fields(body: Mapping[str, Any], fields: list[Field], *, partial: bool) -> None:
    """422 when ``validate`` finds anything wrong with ``body`` (the checks that need no database)."""
    errors = Errors()
    validate(dict(body), fields, errors, partial=partial)
    errors.raise_if_any()
