"""Liveness and readiness."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from resolvers.context import AppServices
from resolvers.jsonenc import JSONResponse


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    services: AppServices = request.app.state.services
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(3):
            await services.db.ping()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if services.redis_configured:
        try:
            async with asyncio.timeout(3):
                ok = await services.bus.ping()
            checks["redis"] = "ok" if ok else "unreachable"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )
