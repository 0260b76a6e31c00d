"""The space product post document's envelope: every answer is ``{"response": {"code", "developerMessage"}}``,
success included, with codes of the form ``<status>.<n>``.

The document names ``201.0``, ``403.1`` (not space member) and ``403.4`` (max products reached). The others are
ours, in the same form (``docs/spaces.md`` lists them): a problem with the body is ``400.<n>`` by what is wrong —
``400.0`` malformed JSON (or a body that is no JSON object), ``400.1`` a required field missing or blank,
``400.2`` a value of the wrong type, ``400.3`` a length out of range, ``400.4`` a value of the wrong form (a
currency code, a URL without its protocol, a negative quantity), ``400.5`` an image URL off the store's domain,
``400.6`` an uploaded file that is no usable image. When a body has several problems, ``code`` is the first
one's and ``errors`` lists each (field, code, developerMessage). Other statuses are ``<status>.0``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.responses import Response

from domain.errors import DomainError, InvalidInput, PermissionDenied
from domain.spaces.service import MaxProductsReached, NotSpaceMember
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Dialect

NOT_MEMBER = ("403.1", "not space member")
MAX_PRODUCTS = ("403.4", "max products reached")
MALFORMED = "400.0"

RULE_CODES = {
    "required": "400.1",
    "blank": "400.1",
    "string": "400.2",
    "number": "400.2",
    "integer": "400.2",
    "boolean": "400.2",
    "max_length": "400.3",
    "min_length": "400.3",
    "pattern": "400.4",
    "url": "400.4",
    "min": "400.4",
    "max": "400.4",
    "store_domain": "400.5",
    "image": "400.6",
}
OTHER_INPUT = "400.4"


def envelope(code: str, message: str) -> dict[str, Any]:
    return {"response": {"code": code, "developerMessage": message}}


class SwmDialect(Dialect):
    invalid_input_status: ClassVar[int] = 400

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "response": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "developerMessage": {"type": "string"}},
                "required": ["code", "developerMessage"],
            },
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "code": {"type": "string"},
                        "developerMessage": {"type": "string"},
                    },
                    "required": ["field", "code", "developerMessage"],
                },
            },
        },
        "required": ["response"],
    }

    def render(self, status: int, error: DomainError) -> Response:
        if isinstance(error, NotSpaceMember):
            return JSONResponse(envelope(*NOT_MEMBER), status_code=status)
        if isinstance(error, MaxProductsReached):
            return JSONResponse(envelope(*MAX_PRODUCTS), status_code=status)
        if isinstance(error, InvalidInput) and error.field_errors:
            problems = [
                {"field": e.field, "code": RULE_CODES.get(e.rule, OTHER_INPUT), "developerMessage": e.message}
                for e in error.field_errors
            ]
            message = "; ".join(f"{p['field']}: {p['developerMessage']}" for p in problems)
            body = envelope(problems[0]["code"], message)
            body["errors"] = problems
            return JSONResponse(body, status_code=status)
        if isinstance(error, InvalidInput) and status == 400:
            return JSONResponse(envelope(MALFORMED, error.message), status_code=status)
        code = f"{status}.0"
        if isinstance(error, PermissionDenied):
            code = "403.0"
        return JSONResponse(envelope(code, error.message), status_code=status)
