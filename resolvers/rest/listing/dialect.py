"""What every module of the listing surface shares: its dialect (``{"error": "<code>", "message"}`` errors, as
the listing document writes them), its id and timestamp forms, and the page query its lists take."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field
from starlette.responses import Response

from domain.accounts.credits import InsufficientCredits
from domain.errors import DomainError, InvalidInput
from domain.paging import MAX_PAGE, MAX_PAGE_SIZE
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Dialect

# The document's names for what the shared errors call otherwise.
_CODES = {"invalid_input": "invalid_request", "unauthenticated": "unauthorized", "invalid_token": "unauthorized"}

MAX_LIMIT = MAX_PAGE_SIZE


class ListingDialect(Dialect):
    """Bad input is a 400 ``invalid_request`` whose message names every field at fault (``fields``: field →
    messages); a short balance is a 402 ``insufficient_credits`` with ``creditCost`` and ``creditsRemaining``."""

    invalid_input_status: ClassVar[int] = 400

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "creditCost": {"type": "integer"},
            "creditsRemaining": {"type": "integer"},
        },
        "required": ["error", "message"],
    }

    def render(self, status: int, error: DomainError) -> Response:
        body: dict[str, Any] = {"error": _CODES.get(error.code, error.code), "message": error.message}
        if isinstance(error, InvalidInput) and error.field_errors:
            fields = error.errors
            body["message"] = "Invalid request: " + "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in fields.items()
            )
            body["fields"] = fields
        elif isinstance(error, InsufficientCredits):
            body["creditCost"] = error.cost
            body["creditsRemaining"] = error.balance
        return JSONResponse(body, status_code=status)


def zulu(value: datetime | None) -> str | None:
    """The document's timestamps: ISO 8601 in UTC with a ``Z``, to the second."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class PageQuery(BaseModel):
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description="The page, from 1.")] = 1
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Items a page: at most {MAX_LIMIT}.")] = 20
