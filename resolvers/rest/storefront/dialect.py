"""The storefront surface's dialect: errors as an Express/NestJS API answers them,
``{"statusCode": 400, "error": "Bad Request", "message": "..."}``; bad input also names each parameter at fault
(``errors``: parameter -> messages). Bad input is a 400, as the storefront document lists it."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

from starlette.responses import Response

from domain.errors import DomainError, InvalidInput
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Dialect


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class StorefrontDialect(Dialect):
    invalid_input_status: ClassVar[int] = 400

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "statusCode": {"type": "integer"},
            "error": {"type": "string", "description": "The status's reason phrase."},
            "message": {"type": "string"},
            "code": {"type": "string", "description": "Shopwright's stable error code."},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["statusCode", "error", "message"],
    }

    def render(self, status: int, error: DomainError) -> Response:
        body: dict[str, Any] = {"statusCode": status, "error": reason(status), "message": error.message}
        body["code"] = error.code
        if isinstance(error, InvalidInput) and error.field_errors:
            fields = error.errors
            body["message"] = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
            body["errors"] = fields
        return JSONResponse(body, status_code=status)
