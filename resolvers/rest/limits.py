"""Request body size limit, answered in the dialect of the surface the path belongs to."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.rest.common import BodyTooLarge, SurfaceMap


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int, surfaces: SurfaceMap) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.surfaces = surfaces

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
                    await self.surfaces.renderer_for(scope["path"])(413, error)(scope, receive, send)
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
            await self.surfaces.renderer_for(scope["path"])(413, error)(scope, receive, send)
