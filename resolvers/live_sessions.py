"""Open WebSocket connections end when their access ends.

A connection authenticates once, at ``connection_init``, and each operation again when it starts; but a
subscription then streams for as long as the client keeps it open. So every connection opened with a token is
registered here, and one loop per app checks every distinct token again every
``SHOPWRIGHT_WS_ACCESS_CHECK_SECONDS`` — one short read session, ``AccountsService.recheck``, the same two
statements however many connections are open — and closes (4403) each connection whose token no longer
authenticates, now names another workspace, or grants less than it did. Reading the database is what makes
it work across processes without a bus: a key revoked through one server closes the sockets every server
holds.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect

from domain.accounts.principal import Principal
from resolvers.context import AppServices

log = logging.getLogger("shopwright.graphql")

CLOSE_CODE = 4403
CLOSE_REASON = "Forbidden: access revoked"
CHECK_TIMEOUT_SECONDS = 30.0  # a check stuck on the database gives up, and the next one tries again


@dataclass
class _Connection:
    websocket: WebSocket
    token: str
    principal: Principal  # as last seen: the connection is closed when a check finds less


def still_allowed(before: Principal, now: Principal) -> bool:
    """Whether a connection that authenticated as ``before`` may stay open as ``now``: the same workspace, and
    every permission it had (a demoted member's connection closes; a promoted one's stays)."""
    return now.workspace_id == before.workspace_id and before.permissions <= now.permissions


class LiveSessions:
    """This process's open WebSocket connections that authenticated with a token (one registry per app)."""

    def __init__(self, services: AppServices) -> None:
        self.services = services
        self.interval_seconds = services.ws_access_check_seconds
        # By the identity of the connection's ASGI scope: the one object both ends of a connection know.
        self._open: dict[int, _Connection] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._failing = False

    def __len__(self) -> int:
        return len(self._open)

    def register(self, websocket: WebSocket, token: str, principal: Principal) -> None:
        """Watch ``websocket`` (again, with these credentials, when a client sends ``connection_init`` twice)."""
        self._open[id(websocket.scope)] = _Connection(websocket, token, principal)

    def unregister(self, scope: Scope) -> None:
        """The connection of ``scope`` has ended (or was never registered)."""
        self._open.pop(id(scope), None)

    async def run(self) -> None:
        """Check every ``interval_seconds`` until cancelled (the app's lifespan runs it)."""
        try:
            while True:
                await asyncio.sleep(self.interval_seconds)
                await self.check_and_log()
        finally:
            for task in self._closing:
                task.cancel()

    async def check_and_log(self) -> None:
        """One check; a failure (the database down) is logged and closes nothing, the next check tries again."""
        try:
            await self.check()
        except Exception as exc:
            if not self._failing:
                log.exception("checking open WebSockets' credentials failed; none closed, retrying")
            else:
                log.warning("checking open WebSockets' credentials still fails: %r", exc)
            self._failing = True
        else:
            if self._failing:
                log.info("checking open WebSockets' credentials works again")
            self._failing = False

    async def check(self) -> int:
        """Close the connections whose access has ended; how many."""
        connections = list(self._open.values())
        if not connections:
            return 0
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), self.services.read() as session:
            current = await self.services.accounts(session).recheck({c.token for c in connections})
        ended = 0
        for connection in connections:
            key = id(connection.websocket.scope)
            if self._open.get(key) is not connection:
                continue  # it ended, or authenticated again, while the check read
            now = current.get(connection.token)
            if now is not None and still_allowed(connection.principal, now):
                connection.principal = now
                continue
            del self._open[key]
            # Not awaited here: a client slow to take the close frame must not hold up the others.
            task = asyncio.create_task(_close(connection.websocket))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
            ended += 1
        return ended


async def _close(websocket: WebSocket) -> None:
    """Close from outside the connection's own task, as Strawberry does for its 4408 timeout: its handler's
    receive loop ends and it cancels the connection's operations."""
    try:
        await websocket.close(code=CLOSE_CODE, reason=CLOSE_REASON)
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client left first, or the connection was closed already: nothing left to end
