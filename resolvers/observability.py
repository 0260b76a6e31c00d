"""What an operator sees of each request: its id, its access-log line and its metrics; and ``/metrics``.

``ObservabilityMiddleware`` is a pure ASGI middleware around the whole app. It takes the caller's
``X-Request-ID`` when it is a sensible id (at most 128 letters, digits and ``-_.:``) and makes one otherwise,
binds it for every log record of the request (``domain.observability``), and echoes it in the answer. A
refused id is never echoed: a client cannot make the service write arbitrary bytes into its headers or logs.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import Unauthenticated
from domain.observability import bound_request_id
from resolvers.context import AppServices
from resolvers.metrics import UNMATCHED, Metrics
from resolvers.rest.surface import Dialect

REQUEST_ID_HEADER = b"x-request-id"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_log = logging.getLogger("shopwright.access")


def accepted_request_id(raw: bytes | None) -> str | None:
    """The caller's request id when it is one we may repeat, else None."""
    if raw is None:
        return None
    try:
        value = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    return value if _REQUEST_ID.fullmatch(value) else None


def route_template(routes: Sequence[BaseRoute], scope: Scope, prefix: str = "") -> str | None:
    """The path template of the route that answers ``scope`` (``/graphql``, ``/api/products/{id}``), with the
    prefixes of the mounts it sits in; None when no route matches."""
    partial: BaseRoute | None = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            if isinstance(route, Mount):
                if not route.routes:  # a mounted app without routes of its own (static files)
                    return f"{prefix}{route.path}/{{path}}"
                return route_template(route.routes, {**scope, **child}, prefix + route.path)
            return prefix + str(getattr(route, "path", ""))
        if match is Match.PARTIAL and partial is None:
            partial = route  # the path matches, the method does not (a 405)
    return None if partial is None else prefix + str(getattr(partial, "path", ""))


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = next((value for name, value in scope.get("headers", []) if name == REQUEST_ID_HEADER), None)
        request_id = accepted_request_id(raw) or uuid.uuid4().hex
        echoed = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        status = 500  # unless an answer starts: an exception escaped

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] in ("http.response.start", "websocket.accept"):
                status = message.get("status", status)
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
                message = {**message, "headers": [*headers, echoed]}
            await send(message)

        with bound_request_id(request_id):
            if scope["type"] == "websocket":
                await self.app(scope, receive, send_with_id)
                return
            # Routing changes the scope's root path and route as it goes: keep what matching needs.
            original = {key: scope[key] for key in ("type", "path", "root_path", "method") if key in scope}
            started = time.perf_counter()
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = scope.get("route_template") or route_template(self.routes, original) or UNMATCHED
                self.metrics.observe_request(scope["method"], route, status, seconds)
                self._log(scope, route, status, seconds)

    def _log(self, scope: Scope, route: str, status: int, seconds: float) -> None:
        # A path that carries a credential (a signed media link, valid until it expires) is logged as its
        # template: log readers must not be able to replay it.
        path = route if "{token}" in route else scope["path"]
        fields: dict[str, Any] = {
            "method": scope["method"],
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        access_log.info("%s %s %d %.1fms", scope["method"], path, status, seconds * 1000, extra=fields)


def metrics_endpoint(services: AppServices, token: str | None) -> Callable[[Request], Awaitable[Response]]:
    """``GET /metrics`` in Prometheus' text format (OpenMetrics when the scraper asks for it). With ``token``,
    only for ``Authorization: Bearer <token>``."""
    expected = f"Bearer {token}".encode() if token else None

    async def endpoint(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not secrets.compare_digest(given, expected):
                refused = Dialect().render(401, Unauthenticated("The metrics need a valid bearer token."))
                refused.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
                return refused
        async with services.read() as session:
            await services.metrics.refresh(session)
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(services.metrics.registry), media_type=content_type)

    return endpoint
