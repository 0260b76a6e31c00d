"""What every REST surface shares: reading bodies, finding the caller, rendering errors its own way."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.accounts.principal import Principal
from domain.errors import DomainError, InvalidInput
from resolvers.context import AppServices, authenticate, bearer_token

log = logging.getLogger(__name__)

ErrorRenderer = Callable[[int, DomainError], Response]


class BodyTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class Surface:
    """A REST dialect: where it is mounted and how it shapes errors."""

    name: str
    prefix: str
    render_error: ErrorRenderer
    allow_x_api_key: bool = False


class SurfaceMap:
    """Which surface a path belongs to (longest prefix wins), for answers given outside any route:
    body-size refusals, unknown paths, wrong methods."""

    def __init__(self, surfaces: list[Surface], default: ErrorRenderer) -> None:
        self.surfaces = sorted(surfaces, key=lambda s: len(s.prefix), reverse=True)
        self.default = default

    def renderer_for(self, path: str) -> ErrorRenderer:
        for surface in self.surfaces:
            if path == surface.prefix or path.startswith(surface.prefix.rstrip("/") + "/"):
                return surface.render_error
        return self.default


class RouteNotFound(DomainError):
    status = 404
    code = "not_found"


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"


def route_error(surfaces: SurfaceMap, path: str, status: int) -> Response:
    """An unknown path (404) or a wrong method (405), in the dialect of the surface the path belongs to."""
    error: DomainError
    if status == 405:
        error = MethodNotAllowed("This method is not allowed on this path.")
    elif status == 404:
        error = RouteNotFound("No such path.")
    else:
        error = DomainError("The request could not be handled.")
        error.status = status
    return surfaces.renderer_for(path)(status, error)


def code_message_error(status: int, error: DomainError) -> Response:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if isinstance(error, InvalidInput) and error.errors:
        body["errors"] = error.errors
    return JSONResponse(body, status_code=status)


def services_of(request: Request) -> AppServices:
    services: AppServices = request.app.state.services
    return services


async def principal_for(request: Request, surface: Surface) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = bearer_token(request.headers, allow_x_api_key=surface.allow_x_api_key)
    principal = await authenticate(services_of(request), token)
    request.state.principal = principal
    return principal


async def read_json(request: Request, *, required: bool = True) -> Any:
    """The parsed JSON body. The size limit itself is enforced by ``BodyLimitMiddleware``."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise InvalidInput("A JSON request body is required.", code="invalid_json")
        return None
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise InvalidInput("The request body must be application/json.", code="invalid_json")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Malformed JSON: {exc}", code="invalid_json") from None


async def read_json_object(request: Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
    return body


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(surface: Surface) -> Callable[[Handler], Handler]:
    """Wrap a route handler: domain errors in the surface's dialect, never a stack trace."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                return surface.render_error(exc.status, exc)
            except Exception:
                log.exception("unhandled error in %s %s", request.method, request.url.path)
                return surface.render_error(500, DomainError("Internal server error.", code="internal_error"))

        return wrapped

    return decorate
