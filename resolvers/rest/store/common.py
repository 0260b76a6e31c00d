"""The store surface's dialect: ``{"data": ...}`` bodies, Laravel-style pagination and error bodies,
API-key permissions per resource, and 60 requests a minute per key; and what every store resource shares
(path ids, timestamps, the 501 for the AI flags)."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.accounts.principal import Principal
from domain.catalog.inputs import INT_MAX
from domain.errors import DomainError, InvalidInput, NotFound, Unauthenticated
from domain.store.validation import parse_bool
from resolvers.rest.common import Surface, principal_for, services_of

log = logging.getLogger(__name__)

RATE_LIMIT_PER_MINUTE = 60
DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100

NOT_FOUND_MESSAGE = "The API resource was not found"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


class NotImplementedYet(DomainError):
    """An operation of the document that this service does not offer yet (answered 501)."""

    status = 501
    code = "not_implemented"


def render_error(status: int, error: DomainError) -> Response:
    if status == 401:
        return JSONResponse("Unauthorized.", status_code=401)
    if status == 404:
        return JSONResponse({"message": NOT_FOUND_MESSAGE}, status_code=404)
    if status == 422 or isinstance(error, InvalidInput):
        errors = error.errors if isinstance(error, InvalidInput) else {}
        return JSONResponse({"message": error.message, "errors": errors}, status_code=422)
    if status == 429:
        return JSONResponse({"message": "Too Many Attempts."}, status_code=429)
    if status >= 500 and status != 501 and status != 503:
        return JSONResponse({"message": "Server Error"}, status_code=status)
    return JSONResponse({"message": error.message}, status_code=status)


SURFACE = Surface(name="store", prefix="/api", render_error=render_error)


def ts(value: datetime | None) -> str | None:
    """Laravel's rendering: ``2026-03-06T10:15:00.000000Z``."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value is not None else None


def path_id(request: Request, name: str = "id") -> int:
    """A path id; anything that is not one of ours is simply not found."""
    raw = str(request.path_params.get(name, ""))
    if not raw.isdigit() or not 0 < int(raw) <= INT_MAX:
        raise NotFound(NOT_FOUND_MESSAGE)
    return int(raw)


def data(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"data": payload}, status_code=status, headers=headers)


def no_content() -> Response:
    return Response(status_code=204)


def page_params(request: Request) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (default 15). A per_page over 100 is refused with 422."""
    errors: dict[str, list[str]] = {}
    page, per_page = 1, DEFAULT_PER_PAGE
    raw_page = request.query_params.get("page")
    if raw_page is not None:
        if not raw_page.isdigit() or int(raw_page) < 1:
            errors["page"] = ["The page field must be an integer of at least 1."]
        else:
            page = int(raw_page)
    raw_per_page = request.query_params.get("per_page")
    if raw_per_page is not None:
        if not raw_per_page.isdigit() or int(raw_per_page) < 1:
            errors["per_page"] = ["The per page field must be an integer of at least 1."]
        elif int(raw_per_page) > MAX_PER_PAGE:
            errors["per_page"] = [f"The per page field must not be greater than {MAX_PER_PAGE}."]
        else:
            per_page = int(raw_per_page)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    return page, per_page


def paginated(request: Request, items: Sequence[Any], *, total: int, page: int, per_page: int) -> JSONResponse:
    """``{"data", "links", "meta"}`` as the document shows it."""
    last_page = max(1, math.ceil(total / per_page))
    base = str(request.url.replace(query=""))
    params = dict(request.query_params)

    def link(n: int) -> str:
        return f"{base}?{urlencode({**params, 'page': n})}"

    start = (page - 1) * per_page
    return JSONResponse(
        {
            "data": list(items),
            "links": {
                "first": link(1),
                "last": link(last_page),
                "prev": link(page - 1) if page > 1 else None,
                "next": link(page + 1) if page < last_page else None,
            },
            "meta": {
                "current_page": page,
                "from": start + 1 if items else None,
                "last_page": last_page,
                "path": base,
                "per_page": per_page,
                "to": start + len(items) if items else None,
                "total": total,
            },
        }
    )


StoreHandler = Callable[[Request, Principal], Awaitable[Response]]


def store_endpoint(
    resource: str | None, *, write: bool = False, public: bool = False
) -> Callable[[StoreHandler], Callable[[Request], Awaitable[Response]]]:
    """Authenticate, rate-limit (60/min per key), check ``store.<resource>.read|manage``, then handle.

    Errors are rendered in the store dialect and never carry a stack trace.
    """

    def decorate(handler: StoreHandler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def wrapped(request: Request) -> Response:
            rate_headers: dict[str, str] = {}
            try:
                if public:
                    principal = None
                else:
                    principal = await principal_for(request, SURFACE)
                    caller = principal.api_key_id or f"user:{principal.user_id}"
                    decision = await services_of(request).rate_limiter.hit(f"store:{caller}", RATE_LIMIT_PER_MINUTE)
                    rate_headers = decision.headers()
                    if not decision.allowed:
                        raise TooManyRequests("Too Many Attempts.")
                    if resource is not None:
                        principal.require(f"store.{resource}.{'manage' if write else 'read'}")
                response = await handler(request, principal)  # type: ignore[arg-type]
            except Unauthenticated as exc:
                response = render_error(401, exc)
            except DomainError as exc:
                response = render_error(exc.status, exc)
            except Exception:
                log.exception("unhandled error in %s %s", request.method, request.url.path)
                response = render_error(500, DomainError("Server Error"))
            response.headers.update(rate_headers)
            return response

        return wrapped

    return decorate


AI_FLAGS = ("generate_ai_content", "generate_images", "image_source")


def refuse_ai_flags(body: Mapping[str, Any], check_body: Callable[[], object]) -> None:
    """The document's AI flags (on articles, pages, categories) arrive with the AI-driven store operations.
    Until then a request asking for one is refused whole (501), so nothing half-done is written; but bad input
    (the flags' own values, or the rest of the body per ``check_body``) still reads as bad input (422) first."""
    errors: dict[str, list[str]] = {}
    source = body.get("image_source")
    if source is not None and source not in ("auto", "stock", "ai"):
        errors["image_source"] = ["The selected image source is invalid. Use auto, stock or ai."]
    images = body.get("generate_images")
    if images is not None and parse_bool(images) is None:
        if not isinstance(images, list) or any(v not in ("listing", "hero", "social") for v in images):
            errors["generate_images"] = [
                "The generate images field must be a boolean or an array of listing, hero, social."
            ]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    flags = [f for f in AI_FLAGS if body.get(f) not in (None, False, 0, "", [], "0", "false")]
    if flags:
        check_body()
        raise NotImplementedYet(
            f"{', '.join(flags)} is not available yet in this service; it arrives with the AI-driven store "
            "operations. Send the request without it."
        )


def not_implemented(
    operation: str, *, arrives_with: str = "the AI-driven store operations"
) -> Callable[[Request], Awaitable[Response]]:
    """A documented operation that comes with a later feature: 501 with a clear message."""

    @store_endpoint(None)
    async def handler(request: Request, principal: Principal) -> Response:
        raise NotImplementedYet(f"{operation} is not available yet in this service; it arrives with {arrives_with}.")

    return handler
