"""TRANSITION: the handler decorator and helpers the store and content surfaces used before
``resolvers.rest.surface``; removed once both have moved."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from domain.accounts.principal import Principal
from domain.errors import DomainError, InvalidInput
from resolvers.context import AppServices, authenticate, bearer_token
from resolvers.rest.surface import Dialect

log = logging.getLogger(__name__)

ErrorRenderer = Callable[[int, DomainError], Response]


@dataclass(frozen=True)
class Surface:
    """A REST dialect: where it is mounted and how it shapes errors."""

    name: str
    prefix: str
    render_error: ErrorRenderer
    allow_x_api_key: bool = False


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


def legacy_dialect(surface: Surface) -> Dialect:
    class _Legacy(Dialect):
        def render(self, status: int, error: DomainError) -> Response:
            return surface.render_error(status, error)

    return _Legacy()


def legacy_mount(surface: Surface, routes: list[Route], services: AppServices) -> Mount:
    """Old-style routes (full paths) as a mounted sub-app with the surface's dialect."""
    from resolvers.rest.limits import BodyLimitMiddleware

    dialect = legacy_dialect(surface)
    inner = [Route(r.path.removeprefix(surface.prefix), r.endpoint, methods=list(r.methods or [])) for r in routes]

    async def http_error(request: Request, exc: Exception) -> Response:
        return dialect.route_error(exc.status_code if isinstance(exc, HTTPException) else 500)

    app = Starlette(
        routes=inner,
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=services.max_body_bytes, render=dialect.render)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.services = services
    return Mount(surface.prefix, app=app)
