"""A loopback receiver for job callbacks, and reading what it was sent."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts.repository import AccountsRepository
from domain.jobs.callbacks import LEGACY_SIGNATURE_HEADER, verify_legacy_signature
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo
from tests.support.serving import serving


class Receiver:
    """Records every request (headers, raw body) and fails the first ``fail_first`` of them with 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.url = ""  # set once it is served

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            self.requests.append((dict(request.headers), await request.body()))
            if len(self.requests) <= self.fail_first:
                return JSONResponse({"error": "not now"}, status_code=500)
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@asynccontextmanager
async def receiving(fail_first: int = 0, **options: Any) -> AsyncIterator[Receiver]:
    """A receiver on a free loopback port for the block; its callback URL is ``receiver.url`` (``options`` go
    to ``uvicorn.Config``: ``ssl_certfile``... serve https)."""
    receiver = Receiver(fail_first)
    async with serving(receiver.app(), **options) as url:
        receiver.url = f"{url}/hook"
        yield receiver


async def webhook_secret(services: AppServices, workspace: WorkspaceInfo) -> str:
    async with services.read() as session:
        found = await AccountsRepository(session).get_workspace(workspace.workspace_id)
    assert found is not None
    return found.webhook_secret


async def signed_bodies(
    services: AppServices, workspace: WorkspaceInfo, receiver: Receiver, *, delivered_only: bool = False
) -> list[dict[str, Any]]:
    """The bodies the receiver got (``delivered_only``: those it answered 2xx), in the order it got them, each
    checked the Standard Webhooks way (the maintained library, five minutes' tolerance) and the legacy way."""
    secret = await webhook_secret(services, workspace)
    bodies = []
    for index, (headers, raw) in enumerate(receiver.requests):
        assert Webhook(secret).verify(raw, headers) == json.loads(raw)
        assert verify_legacy_signature(secret, raw, headers[LEGACY_SIGNATURE_HEADER.lower()])
        if not delivered_only or index >= receiver.fail_first:
            bodies.append(json.loads(raw))
    return bodies
