"""The progress bus: in-memory for one process, Redis pub/sub across processes.

Each process holds one Redis pub/sub connection whatever the number of subscribers: a topic is subscribed on
Redis when its first local subscriber arrives and unsubscribed when its last one leaves; one reader task
decodes each message once and hands the same (read-only) dict to every local subscriber of its topic.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import redis.asyncio as aioredis

from domain.base import json_default
from domain.jobs.ports import job_topic, workspace_topic

log = logging.getLogger(__name__)

QUEUE_LIMIT = 10_000
CONFIRM_SECONDS = 10.0

Queue = asyncio.Queue[dict[str, Any]]


def topics_for(message: dict[str, Any]) -> tuple[str, str]:
    return job_topic(message["job_id"]), workspace_topic(message["workspace_id"])


def _deliver(queues: set[Queue] | None, message: dict[str, Any], topic: str) -> None:
    for queue in list(queues or ()):
        try:
            queue.put_nowait(message)
        except asyncio.QueueFull:
            # A stalled subscriber misses events; job subscriptions refill gaps from job_events.
            log.warning("subscriber queue full on %s; event %s dropped", topic, message.get("seq"))


async def _drain(queue: Queue) -> AsyncIterator[dict[str, Any]]:
    while True:
        yield await queue.get()


class InMemoryBus:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Queue]] = {}

    async def publish(self, message: dict[str, Any]) -> None:
        for topic in topics_for(message):
            _deliver(self._subscribers.get(topic), message, topic)

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: Queue = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._subscribers.setdefault(topic, set()).add(queue)
        try:
            yield _drain(queue)
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
        self._pubsub: Any = None  # the process's one pub/sub connection, opened with the first subscriber
        self._reader: asyncio.Task[None] | None = None
        self._subscribers: dict[str, set[Queue]] = {}  # by channel
        self._confirmations: dict[str, asyncio.Future[None]] = {}  # channels subscribed, not yet confirmed
        self._lock = asyncio.Lock()  # orders SUBSCRIBE and UNSUBSCRIBE of one channel as they are decided

    async def publish(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, default=json_default)
        async with self._client.pipeline(transaction=False) as pipe:
            for topic in topics_for(message):
                pipe.publish(self._prefix + topic, body)
            await pipe.execute()

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        channel = self._prefix + topic
        queue: Queue = asyncio.Queue(maxsize=QUEUE_LIMIT)
        confirmation: asyncio.Future[None] | None = None
        try:
            async with self._lock:
                subscribers = self._subscribers.get(channel)
                if subscribers is None:
                    subscribers = self._subscribers[channel] = set()
                    confirmation = asyncio.get_running_loop().create_future()
                    self._confirmations[channel] = confirmation
                    if self._pubsub is None:
                        self._pubsub = self._client.pubsub()
                    await self._pubsub.subscribe(channel)
                    self._start_reader()
                else:
                    confirmation = self._confirmations.get(channel)
                subscribers.add(queue)
            if confirmation is not None:
                # Wait for the server's confirmation, so nothing published after we return is missed.
                async with asyncio.timeout(CONFIRM_SECONDS):
                    await asyncio.shield(confirmation)
            yield _drain(queue)
        finally:
            await self._leave(channel, queue)

    async def _leave(self, channel: str, queue: Queue) -> None:
        async with self._lock:
            subscribers = self._subscribers.get(channel)
            if subscribers is None:
                return
            subscribers.discard(queue)
            if subscribers:
                return
            del self._subscribers[channel]
            pending = self._confirmations.pop(channel, None)
            if pending is not None and not pending.done():
                pending.cancel()
            if self._pubsub is not None:
                with suppress(aioredis.RedisError, OSError):
                    await self._pubsub.unsubscribe(channel)

    def _start_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="shopwright-bus-reader")

    async def _read(self) -> None:
        """The one reader: confirmations to the subscribers that wait for them, messages to every local
        subscriber of their channel (decoded once)."""
        while True:
            try:
                raw = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # a dropped connection: redis-py reconnects and subscribes its channels again
                log.warning("progress bus: pub/sub read failed; retrying", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if raw is None:
                continue
            channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else str(raw["channel"])
            if raw["type"] == "message":
                try:
                    message = json.loads(raw["data"])
                except ValueError:
                    log.warning("progress bus: undecodable message on %s dropped", channel)
                    continue
                _deliver(self._subscribers.get(channel), message, channel)
            elif raw["type"] == "subscribe":
                confirmation = self._confirmations.pop(channel, None)
                if confirmation is not None and not confirmation.done():
                    confirmation.set_result(None)

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (aioredis.RedisError, OSError):
            return False

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        if self._pubsub is not None:
            with suppress(aioredis.RedisError, OSError):
                await self._pubsub.aclose()
            self._pubsub = None
        await self._client.aclose()
