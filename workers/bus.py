"""The progress bus: in-memory for one process, Redis pub/sub across processes."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis

from domain.base import json_default
from domain.jobs.ports import job_topic, workspace_topic

log = logging.getLogger(__name__)

QUEUE_LIMIT = 10_000


def topics_for(message: dict[str, Any]) -> tuple[str, str]:
    return job_topic(message["job_id"]), workspace_topic(message["workspace_id"])


class InMemoryBus:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    async def publish(self, message: dict[str, Any]) -> None:
        for topic in topics_for(message):
            for queue in list(self._subscribers.get(topic, ())):
                try:
                    queue.put_nowait(message)
                except asyncio.QueueFull:
                    # A stalled subscriber misses events; job subscriptions refill gaps from job_events.
                    log.warning("subscriber queue full on %s; event %s dropped", topic, message.get("seq"))

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._subscribers.setdefault(topic, set()).add(queue)

        async def stream() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield stream()
        finally:
            subscribers = self._subscribers.get(topic)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[topic]

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._subscribers.clear()


class RedisBus:
    def __init__(self, url: str, *, prefix: str = "shopwright:") -> None:
        self._client = aioredis.Redis.from_url(url)
        self._prefix = prefix

    async def publish(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, default=json_default)
        async with self._client.pipeline(transaction=False) as pipe:
            for topic in topics_for(message):
                pipe.publish(self._prefix + topic, body)
            await pipe.execute()

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        pubsub = self._client.pubsub()
        channel = self._prefix + topic
        await pubsub.subscribe(channel)
        # Wait for the server's confirmation, so nothing published after we return is missed.
        async with asyncio.timeout(10):
            while True:
                confirmation = await pubsub.get_message(timeout=1.0)
                if confirmation is not None and confirmation["type"] == "subscribe":
                    break

        async def stream() -> AsyncIterator[dict[str, Any]]:
            async for raw in pubsub.listen():
                if raw["type"] == "message":
                    yield json.loads(raw["data"])

        try:
            yield stream()
        finally:
            try:
                await pubsub.unsubscribe(channel)
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (aioredis.RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._client.aclose()
