"""Small helpers for GraphQL over HTTP and over WebSocket (both subscription protocols)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

import httpx
import websockets


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    return response.status_code, response.json()


async def _recv(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        if message.get("type") in ("ka", "pong"):
            continue
        return message


class _Socket:
    """A GraphQL WebSocket connection, acknowledged, speaking ``protocol``."""

    protocol: str

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    async def connect(cls, url: str, payload: dict[str, Any] | None = None) -> Self:
        ws = await websockets.connect(url, subprotocols=[cls.protocol])  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        ack = await _recv(ws)
        assert ack["type"] == "connection_ack", ack
        return cls(ws)

    @classmethod
    @asynccontextmanager
    async def opened(cls, url: str, payload: dict[str, Any] | None = None) -> AsyncIterator[Self]:
        """Connected for the block, closed after it."""
        socket = await cls.connect(url, payload)
        try:
            yield socket
        finally:
            await socket.close()

    async def close(self) -> None:
        await self.ws.close()


class TransportWS(_Socket):
    """graphql-transport-ws client."""

    protocol = "graphql-transport-ws"

    def __init__(self, ws: Any) -> None:
        super().__init__(ws)
        self._next_id = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._next_id += 1
        op_id = str(self._next_id)
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))
        return op_id

    async def next_message(self, op_id: str, timeout: float = 10.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                message = await _recv(self.ws)
                if message.get("id") == op_id:
                    return message

    async def messages(self, op_id: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Every message of one operation until ``complete`` or ``error``."""
        out: list[dict[str, Any]] = []
        while True:
            message = await self.next_message(op_id, timeout)
            out.append(message)
            if message["type"] in ("complete", "error"):
                return out


class LegacyWS(_Socket):
    """The older graphql-ws (subscriptions-transport-ws) protocol."""

    protocol = "graphql-ws"

    async def start(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": op_id, "type": "start", "payload": payload}))

    async def messages(self, op_id: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while True:
                message = await _recv(self.ws)
                if message.get("id") != op_id:
                    continue
                out.append(message)
                if message["type"] in ("complete", "error"):
                    return out


async def subscription(
    url: str, query: str, variables: dict[str, Any], payload: dict[str, Any] | None = None, timeout: float = 30.0
) -> list[dict[str, Any]]:
    """Every message of one graphql-transport-ws subscription, from subscribing to ``complete`` or ``error``."""
    async with TransportWS.opened(url, payload) as ws:
        return await ws.messages(await ws.subscribe(query, variables), timeout)
