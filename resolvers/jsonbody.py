"""Reading a JSON request body, the same way for every surface and for GraphQL: nested at most ``MAX_DEPTH``
deep, numbers of sensible length. Anything else is malformed input the caller can fix, never a server error.
(NaN and Infinity are read as numbers, as they always were: the fields that take numbers refuse them, and so
do the fields that store JSON — see ``domain.validation``.)"""

from __future__ import annotations

import json
from typing import Any

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
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)
