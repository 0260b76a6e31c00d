"""The progress bus: in-memory for one process, Redis pub/sub across processes.

Each process holds one Redis pub/sub connection whatever the number of subscribers: a topic is subscribed on
Redis when its first local subscriber arrives and unsubscribed when its last one leaves; one reader task
decodes each message once and hands the same (read-only) dict to every local subscriber of its topic.

Subscribers that declare themselves the same (a ``Member`` with a group key, set in the subscribing task through
``MEMBER``: a GraphQL subscription operation) are served in one pass: per message, one of each group runs its
pipeline and the others get what it wrote replayed (``deliver``); the rest get the message in their queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Hashable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any, Protocol

import redis.asyncio as aioredis

from domain.base import json_default
from domain.jobs.ports import job_topic, workspace_topic

log = logging.getLogger(__name__)

QUEUE_LIMIT = 10_000
CONFIRM_SECONDS = 10.0
LEAD_SECONDS = 1.0  # how long a delivery waits for a group's first subscriber before the others go their own way

Queue = asyncio.Queue[Any]  # messages, and now and then a write still in flight (``_Subscriber.replay``)


class Member(Protocol):
    """What a subscriber tells the bus when its events can be served to it without running its own pipeline:
    subscribers whose ``key`` is the same would each turn a message into the same output (the same frame
    but for their operation id), so the bus runs one of them (the group's first idle subscriber) and replays
    what it produced to the others."""

    key: Hashable | None  # None: not shareable (the subscriber always runs its own pipeline)

    def taking(self) -> None:
        """The subscriber's pipeline takes a message from its queue."""

    def outcome(self) -> object:
        """What the pipeline did with the message taken, once it asks for the next one: ``SKIPPED`` (it
        wrote nothing), something ``replay`` can write for another member, or None (not replayable)."""

    def replay(self, outcome: object) -> Awaitable[None] | None:
        """Write another member's outcome as this subscriber's own; what is still in flight, if anything."""


def topics_for(message: dict[str, Any]) -> tuple[str, str]:
    return job_topic(message["job_id"]), workspace_topic(message["workspace_id"])


MEMBER: ContextVar[Member | None] = ContextVar("shopwright_bus_member", default=None)
SKIPPED = object()  # an outcome: the pipeline wrote nothing for the message


class _Subscriber:
    """One local subscription: its queue, and for a ``Member``, whether its pipeline waits on the queue."""

    __slots__ = ("led", "member", "parked", "queue")

    def __init__(self, member: Member | None) -> None:
        self.queue: Queue = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self.member = member if member is not None and member.key is not None else None
        self.parked = False  # waiting on an empty queue: nothing of it in flight
        self.led: asyncio.Future[object] | None = None  # the outcome of the message it leads its group for

    @property
    def idle(self) -> bool:
        return self.parked and self.queue.empty()

    def put(self, message: dict[str, Any], topic: str) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            # A stalled subscriber misses events; job subscriptions refill gaps from job_events.
            log.warning("subscriber queue full on %s; event %s dropped", topic, message.get("seq"))

    def replay(self, outcome: object) -> None:
        assert self.member is not None
        try:
            pending = self.member.replay(outcome)
        except Exception:  # the connection is gone: its own handler ends the subscription
            log.debug("replaying an event to a closed subscriber failed", exc_info=True)
            return
        if pending is not None:  # the socket is not writable now: later messages wait for this write
            self.queue.put_nowait(asyncio.ensure_future(pending))

    async def drain(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            self.parked = True
            try:
                item = await self.queue.get()
            finally:
                self.parked = False
            if isinstance(item, asyncio.Future):
                with suppress(Exception):
                    await item
                continue
            if self.member is None:
                yield item
                continue
            self.member.taking()
            try:
                yield item
            except GeneratorExit:
                self._led(None)
                raise
            # The pipeline asks for the next message: what it made of this one is known.
            self._led(self.member.outcome())

    def _led(self, outcome: object) -> None:
        led, self.led = self.led, None
        if led is not None and not led.done():
            led.set_result(outcome)


async def deliver(subscribers: Iterable[_Subscriber], message: dict[str, Any], topic: str) -> None:
    """``message`` to every local subscriber of ``topic``, in one pass: each group of members runs its first
    idle subscriber's pipeline, and once that has written its event, the same output is replayed to every
    other idle member of the group; a subscriber busy with an earlier message, a non-member, or a group
    whose output cannot be replayed gets the message in its queue, as every subscriber did before."""
    leaders: dict[Hashable, _Subscriber] = {}
    followers: list[_Subscriber] = []
    for subscriber in list(subscribers):
        member = subscriber.member
        if member is None or not subscriber.idle:
            subscriber.put(message, topic)
        elif member.key in leaders:
            followers.append(subscriber)
        else:
            leaders[member.key] = subscriber
            subscriber.led = asyncio.get_running_loop().create_future()
            subscriber.put(message, topic)
    if not followers:
        return
    outcomes: dict[Hashable, asyncio.Future[object]] = {
        key: leader.led for key, leader in leaders.items() if leader.led is not None
    }
    await asyncio.wait(outcomes.values(), timeout=LEAD_SECONDS)
    for subscriber in followers:
        assert subscriber.member is not None
        found = outcomes.get(subscriber.member.key)
        outcome = found.result() if found is not None and found.done() else None
        if outcome is SKIPPED and subscriber.idle:
            continue
        if outcome is None or outcome is SKIPPED or not subscriber.idle:
            subscriber.put(message, topic)
        else:
            subscriber.replay(outcome)


class _Local:
    """This process's subscribers, by topic (or channel), and the order their messages are delivered in."""

    def __init__(self) -> None:
        self.subscribers: dict[str, list[_Subscriber]] = {}

    def add(self, topic: str) -> _Subscriber:
        subscriber = _Subscriber(MEMBER.get())
        self.subscribers.setdefault(topic, []).append(subscriber)
        return subscriber

    def remove(self, topic: str, subscriber: _Subscriber) -> bool:
        """Whether ``topic`` has no subscriber left."""
        subscribers = self.subscribers.get(topic)
        if subscribers is None:
            return False
        with suppress(ValueError):
            subscribers.remove(subscriber)
        if subscribers:
            return False
        del self.subscribers[topic]
        return True


class InMemoryBus:
    def __init__(self) -> None:
        self._local = _Local()
        self._subscribers = self._local.subscribers
        self._published: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._delivering: asyncio.Task[None] | None = None

    async def publish(self, message: dict[str, Any]) -> None:
        # Delivered by one task, in publish order (a delivery may wait for a group's first subscriber).
        self._published.put_nowait(message)
        if self._delivering is None or self._delivering.done():
            self._delivering = asyncio.create_task(self._deliver(), name="shopwright-bus-delivery")

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        for message in messages:
            await self.publish(message)

    async def _deliver(self) -> None:
        while True:
            message = await self._published.get()
            for topic in topics_for(message):
                subscribers = self._subscribers.get(topic)
                if subscribers:
                    await deliver(subscribers, message, topic)

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        subscriber = self._local.add(topic)
        try:
            yield subscriber.drain()
        finally:
            self._local.remove(topic, subscriber)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        if self._delivering is not None:
            self._delivering.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._delivering
            self._delivering = None
        self._subscribers.clear()


class RedisBus:
    def __init__(self, url: str, *, prefix: str = "shopwright:") -> None:
        self._client = aioredis.Redis.from_url(url)
        self._prefix = prefix
        self._pubsub: Any = None  # the process's one pub/sub connection, opened with the first subscriber
        self._reader: asyncio.Task[None] | None = None
        self._local = _Local()
        self._subscribers = self._local.subscribers  # by channel
        self._confirmations: dict[str, asyncio.Future[None]] = {}  # channels subscribed, not yet confirmed
        self._lock = asyncio.Lock()  # orders SUBSCRIBE and UNSUBSCRIBE of one channel as they are decided

    async def publish(self, message: dict[str, Any]) -> None:
        await self.publish_many([message])

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        """Every message to each of its topics, in order, in one round trip (a pipeline)."""
        if not messages:
            return
        async with self._client.pipeline(transaction=False) as pipe:
            for message in messages:
                body = json.dumps(message, default=json_default)
                for topic in topics_for(message):
                    pipe.publish(self._prefix + topic, body)
            await pipe.execute()

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        channel = self._prefix + topic
        subscriber: _Subscriber | None = None
        confirmation: asyncio.Future[None] | None = None
        try:
            async with self._lock:
                if channel not in self._subscribers:
                    confirmation = asyncio.get_running_loop().create_future()
                    self._confirmations[channel] = confirmation
                    if self._pubsub is None:
                        self._pubsub = self._client.pubsub()
                    await self._pubsub.subscribe(channel)
                    self._start_reader()
                else:
                    confirmation = self._confirmations.get(channel)
                subscriber = self._local.add(channel)
            if confirmation is not None:
                # Wait for the server's confirmation, so nothing published after we return is missed.
                async with asyncio.timeout(CONFIRM_SECONDS):
                    await asyncio.shield(confirmation)
            yield subscriber.drain()
        finally:
            if subscriber is not None:
                await self._leave(channel, subscriber)

    async def _leave(self, channel: str, subscriber: _Subscriber) -> None:
        async with self._lock:
            if not self._local.remove(channel, subscriber):
                return
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
                subscribers = self._subscribers.get(channel)
                if subscribers:
                    await deliver(subscribers, message, channel)
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
