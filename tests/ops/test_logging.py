"""Structured logs: JSON lines off a terminal, readable text on one, and each line of a request with its id."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sys
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from resolvers.metrics import Metrics
from resolvers.observability import ObservabilityMiddleware
from shopwright.logging import build_handler, resolve_format
from tests.support.serving import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_json_off_a_terminal_and_text_on_one() -> None:
    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("auto", Terminal()) == "text"
    assert resolve_format("json", Terminal()) == "json"
    assert resolve_format("text", io.StringIO()) == "text"

    stream = Terminal()
    logger = logging.getLogger("tests.ops.text")
    logger.addHandler(build_handler("auto", stream))
    logger.warning("disk %s", "full")
    logger.handlers.clear()
    assert stream.getvalue().rstrip().endswith("WARNING  tests.ops.text [-] disk full")


async def test_every_line_logged_while_handling_a_request_carries_its_id() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("tests.ops.handler")
    logger.addHandler(build_handler("json", stream))
    logger.setLevel(logging.INFO)

    async def endpoint(request: Request) -> PlainTextResponse:
        logger.info("looking at %s", request.url.path)
        await asyncio.create_task(asyncio.sleep(0))  # work handed to a task keeps the id too
        logger.info("done")
        return PlainTextResponse("ok")

    routes = [Route("/thing", endpoint)]
    app = Starlette(routes=routes, middleware=[Middleware(ObservabilityMiddleware, metrics=Metrics(), routes=routes)])
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            await client.get("/thing", headers={"X-Request-ID": "abc-1"})
            response = await client.get("/thing")
        logger.info("outside any request")
    finally:
        logger.handlers.clear()
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    generated = response.headers["x-request-id"]
    assert [(r["message"], r.get("request_id")) for r in records] == [
        ("looking at /thing", "abc-1"),
        ("done", "abc-1"),
        ("looking at /thing", generated),
        ("done", generated),
        ("outside any request", None),
    ]


async def test_serve_writes_json_lines_with_request_ids(tmp_path: Path) -> None:
    """``shopwright serve`` with stderr not a terminal: uvicorn's lines and the access log are JSON."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
        "SHOPWRIGHT_DATA_DIR": str(tmp_path / "data"),
        "SHOPWRIGHT_SECRET_KEY": "log-test-secret",
        "SHOPWRIGHT_AI_PROVIDER": "offline",
    }
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "shopwright.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            async with asyncio.timeout(60):
                while True:
                    try:
                        response = await client.get("/healthz", headers={"X-Request-ID": "from-the-test"})
                        break
                    except httpx.TransportError:
                        assert process.returncode is None, "shopwright serve exited"
                        await asyncio.sleep(0.2)
        assert response.headers["x-request-id"] == "from-the-test"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    records = [json.loads(line) for line in err.decode().splitlines()]  # every line is a JSON object
    loggers = {r["logger"] for r in records}
    assert {"uvicorn.error", "shopwright.access"} <= loggers, loggers
    [access] = [r for r in records if r["logger"] == "shopwright.access"]
    assert access["request_id"] == "from-the-test"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/healthz", 200)
    assert all({"time", "level", "message"} <= r.keys() for r in records)


async def test_an_unknown_log_level_stops_serve_with_a_clear_message(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO_ROOT), "SHOPWRIGHT_LOG_LEVEL": "loud"}
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "shopwright.cli", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode != 0
    assert "Invalid log level 'loud'" in err.decode() and "Traceback" not in err.decode()
