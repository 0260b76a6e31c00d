"""Request body size limit, answered in the dialect of the surface (or endpoint) it guards."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DomainError


class BodyTooLarge(DomainError, status=413, code="payload_too_large"):
    """The request body is over the configured size limit."""


class BodyLimitMiddleware:
    """Refuses a body over ``max_bytes`` with 413: at once when Content-Length says so, otherwise as soon as
    the streamed body passes the limit (if nothing was answered yet)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, render: Callable[[int, DomainError], Response]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error = BodyTooLarge(f"The request body exceeds the limit of {self.max_bytes} bytes.")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_bytes
                except ValueError:
                    too_large = False
                if too_large:
                    await self.render(413, error)(scope, receive, send)
                    return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise error
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self.render(413, error)(scope, receive, send)
