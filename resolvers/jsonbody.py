"""Reading a JSON request body, the same way for every surface and for GraphQL: nested at most ``MAX_DEPTH``
deep, numbers of sensible length, strings of text (no NUL character, no unpaired surrogate: neither can be
stored, PostgreSQL refuses the one and no encoder writes the other). Anything else is malformed input the
caller can fix, never a server error.
(NaN and Infinity are read as numbers, as they always were: the fields that take numbers refuse them, and so
do the fields that store JSON — see ``domain.validation``.)"""

from __future__ import annotations

import json
from typing import Any

from domain.validation import text_problem

MAX_DEPTH = 64


class MalformedJson(ValueError):
    """The body is not JSON this service takes; the message says why."""


def decode_json(raw: bytes | str) -> Any:
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedJson(str(exc)) from None
    except RecursionError:
        raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # an integer of thousands of digits, say
        raise MalformedJson(str(exc)) from None
    _check(value)
    return value


def _check(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise MalformedJson(problem)
            continue
        if isinstance(item, dict):
            children: list[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)
