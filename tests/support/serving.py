"""Running an ASGI app for a test: in process behind an httpx client, or on a real uvicorn server on a free
loopback port (for WebSockets, callbacks and the fake OpenAI server)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from starlette.types import ASGIApp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def loopback_server(app: ASGIApp, **options: Any) -> tuple[uvicorn.Server, str]:
    """A uvicorn server for ``app`` on a free loopback port, not started yet, and its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    return uvicorn.Server(config), f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serving(app: ASGIApp, **options: Any) -> AsyncIterator[str]:
    """``app`` served on this event loop for the block (``options`` go to ``uvicorn.Config``); yields its
    base URL once the server accepts connections."""
    server, url = loopback_server(app, **options)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(15):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
    try:
        yield url
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 15)


@asynccontextmanager
async def asgi_client(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling ``app`` in process (its lifespan is the caller's business)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
