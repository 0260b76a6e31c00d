"""The store API's dialect (``freshstore-api.txt``): ``{"data": ...}`` bodies, Laravel-style pagination
(``links``/``meta``) and Laravel's words for bad input, the bare ``"Unauthorized."`` 401, and what every
store resource shares (timestamps, the 501 of operations that come later). Its list and path parameters are in
``resolvers.rest.store.params``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.errors import DomainError, FieldError, InvalidInput
from domain.paging import Page
from resolvers.jsonenc import JSONResponse
from resolvers.rest.store.params import DEFAULT_PER_PAGE
from resolvers.rest.surface import Call, Dialect

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

NOT_FOUND_MESSAGE = "The API resource was not found"


class NotImplementedYet(DomainError, status=501, code="not_implemented"):
    """An operation of the document that this service does not offer yet (answered 501)."""


# --- Laravel's words -----------------------------------------------------------------------------------

_TEMPLATES = {
    "required": "The {label} field is required.",
    "not_null": "The {label} field must not be null.",
    "string": "The {label} field must be a string.",
    "text": "The {label} field must be text without NUL characters or unpaired surrogates.",
    "max_length": "The {label} field must not be greater than {max} characters.",
    "integer": "The {label} field must be an integer.",
    "between": "The {label} field must be between {min} and {max}.",
    "boolean": "The {label} field must be true or false.",
    "number": "The {label} field must be a number.",
    "array": "The {label} field must be an array.",
    "object": "The {label} field must be an object.",
    "integer_array": "The {label} field must be an array of integers.",
    "max_items": "The {label} field must not have more than {max} items.",
    "url": "The {label} field must be a valid URL.",
    "date": "The {label} field must be a valid date (ISO 8601).",
    "min": "The {label} field must be at least {min}.",
    "max": "The {label} field must not be greater than {max}.",
    "min_integer": "The {label} field must be an integer of at least {min}.",
    "exists": "The selected {label} is invalid.",
    "unique": "The {label} has already been taken.",
    "email": "The {label} field must be a valid email address of at most 255 characters.",
    "slug": "The {label} field must contain letters or digits.",
    "not_descendant": "The {label} cannot be the category itself or one of its descendants.",
    "include": "Unknown include '{name}'. Allowed: {allowed}.",
    "one_of": "The {label} field must be one of: {values}.",
    "array_of": "The {label} field must be a non-empty array of: {values}.",
    "array_of_strings": "The {label} field must be a non-empty array of strings.",
    "in_each": "The selected {label} are invalid: {invalid}. Use any of: {values}.",
    "image_slots": "The {label} field must be a boolean or an array of {values}.",
    "unknown_setting": "Unknown setting '{key}'.",
}


def label(error: FieldError) -> str:
    """Laravel's attribute name: ``brand id`` for ``brand_id``; a nested path as it is (``category_ids.0``)."""
    return error.field if len(error.loc) > 1 else error.field.replace("_", " ")


def _choices(values: Sequence[str]) -> str:
    if len(values) <= 3:
        return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)
    return "one of: " + ", ".join(values)


def laravel(error: FieldError) -> str:
    """One problem in the store document's words (a rule it has no words for keeps its plain message)."""
    if error.rule == "in":
        values = [str(v) for v in error.params.get("values", [])]
        choices = f" Use {_choices(values)}." if values else ""
        return f"The selected {label(error)} is invalid.{choices}"
    template = _TEMPLATES.get(error.rule)
    if template is None:
        return error.message
    params = {k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in error.params.items()}
    return template.format(label=label(error), **params)


def laravel_errors(error: InvalidInput) -> tuple[str, dict[str, list[str]]]:
    """The 422 body's ``message`` (the first problem, "(and N more errors)") and ``errors``."""
    errors: dict[str, list[str]] = {}
    for problem in error.field_errors:
        errors.setdefault(problem.field, []).append(laravel(problem))
    messages = [m for ms in errors.values() for m in ms]
    if not messages:
        return error.message, {}
    message = messages[0]
    if len(messages) > 1:
        more = len(messages) - 1
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    return message, errors


_MESSAGES = {"type": "array", "items": {"type": "string"}}


class StoreDialect(Dialect):
    # anyOf, not oneOf: a 422 body (message and errors) fits the plain {"message"} shape too.
    error_schema: ClassVar[dict[str, Any]] = {
        "anyOf": [
            {
                "type": "object",
                "description": "422: the first problem, and every problem by field",
                "properties": {
                    "message": {"type": "string"},
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "required": ["message", "errors"],
            },
            {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]},
            {"type": "string", "description": '401: "Unauthorized."'},
        ]
    }

    def render(self, status: int, error: DomainError) -> Response:
        if status == 401:
            return JSONResponse("Unauthorized.", status_code=401)
        if status == 404:
            return JSONResponse({"message": NOT_FOUND_MESSAGE}, status_code=404)
        if status == 422 or isinstance(error, InvalidInput):
            if isinstance(error, InvalidInput):
                message, errors = laravel_errors(error)
            else:
                message, errors = error.message, {}
            return JSONResponse({"message": message, "errors": errors}, status_code=422)
        if status == 429:
            return JSONResponse({"message": "Too Many Attempts."}, status_code=429)
        if status >= 500 and status not in (501, 503):
            return JSONResponse({"message": "Server Error"}, status_code=status)
        return JSONResponse({"message": error.message}, status_code=status)


# --- bodies --------------------------------------------------------------------------------------------


_STAMP = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"


def ts(value: datetime | None) -> str | None:
    """Laravel's rendering: ``2026-03-06T10:15:00.000000Z``."""
    if value is None:
        return None
    if value.year < 1000:  # strftime does not pad the year to four digits; the format below does
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # The same characters as the strftime above, in about a quarter of its time and half of what
    # ``isoformat(timespec=...)`` takes (its keyword and the offset it writes cost): every list renders two per
    # row, a page of 50 products with their offers and categories 600.
    return _STAMP % (value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond)


def data(payload: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"data": payload}, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)


class Links(TypedDict):
    first: str
    last: str
    prev: str | None
    next: str | None


# "from" is a Python keyword, so the functional form names it.
Meta = TypedDict(
    "Meta",
    {
        "current_page": int,
        "from": int | None,
        "last_page": int,
        "path": str,
        "per_page": int,
        "to": int | None,
        "total": int,
    },
)


class Data(TypedDict, Generic[T]):
    """``{"data": ...}``: every store body."""

    data: T


class Paginated(TypedDict, Generic[T]):
    """A page of a list: the items, links to the other pages, and where this one stands."""

    data: list[T]
    links: Links
    meta: Meta


def paginated(call: Call, page: Page[T], render: Callable[[T], Any]) -> JSONResponse:
    """The page's items rendered, as ``{"data", "links", "meta"}`` the way the document shows it."""
    items = [render(item) for item in page.items]
    request = call.request
    per_page = page.limit or DEFAULT_PER_PAGE
    number = page.offset // per_page + 1
    last_page = max(1, math.ceil(page.total / per_page))
    base = str(request.url.replace(query=""))
    params = dict(request.query_params)

    def link(n: int) -> str:
        return f"{base}?{urlencode({**params, 'page': n})}"

    start = page.offset
    return JSONResponse(
        {
            "data": items,
            "links": {
                "first": link(1),
                "last": link(last_page),
                "prev": link(number - 1) if number > 1 else None,
                "next": link(number + 1) if number < last_page else None,
            },
            "meta": {
                "current_page": number,
                "from": start + 1 if items else None,
                "last_page": last_page,
                "path": base,
                "per_page": per_page,
                "to": start + len(items) if items else None,
                "total": page.total,
            },
        }
    )


def not_implemented(operation: str, *, arrives_with: str = "the AI-driven store operations") -> NotImplementedYet:
    return NotImplementedYet(f"{operation} is not available yet in this service; it arrives with {arrives_with}.")
