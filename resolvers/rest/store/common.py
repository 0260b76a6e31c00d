"""The store surface's dialect: ``{"data": ...}`` bodies, Laravel-style pagination and error bodies,
API-key permissions per resource, and 60 requests a minute per key."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.accounts.principal import Principal
from domain.errors import DomainError, InvalidInput, Unauthenticated
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


def not_implemented(operation: str) -> Callable[[Request], Awaitable[Response]]:
    """A documented operation that comes with a later feature: 501 with a clear message."""

    @store_endpoint(None)
    async def handler(request: Request, principal: Principal) -> Response:
        raise NotImplementedYet(
            f"{operation} is not available yet in this service; it arrives with the AI-driven store operations."
        )

    return handler
