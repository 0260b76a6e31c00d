"""Batching accepted tracker hits into the database without losing any.

- ``InProcessHitQueue`` (no Redis): hits wait in memory and a background task writes them in batches, every
  ``flush_seconds`` or as soon as a batch is full. A batch leaves memory only after its transaction committed
  (a failed write is retried); shutting down writes everything still waiting. A full queue refuses new hits
  (``QueueFull``) rather than accepting and dropping them.
- ``RedisHitQueue`` (``SHOPWRIGHT_REDIS_URL``): the endpoint ``XADD``s each hit to a stream before it answers,
  so an accepted hit survives any process. Consumers (a background task of every app process) read batches
  with ``XREADGROUP``, commit them, then ``XACK`` and ``XDEL``. Entries delivered to a consumer that died before
  acking are re-claimed (``XAUTOCLAIM``) once idle for ``claim_idle_seconds``; entries of a batch whose write
  failed are read again from the consumer's own pending list. A batch committed but not acked (a crash between
  the two) is written once: each hit's ingest id is unique in ``analytics_hits`` and repeats are skipped.

Rejected requests (unknown site, malformed) are counted in memory and added to ``analytics_rejections`` with
the next batch (at least every ``flush_seconds``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections import Counter, deque
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from domain.analytics.ingest import AcceptedHit, IngestPolicy, QueueFull, count_rejections, write_batch
from domain.db import Database

log = logging.getLogger(__name__)

STREAM = "shopwright:analytics:hits"
GROUP = "ingest"
RETRY_SECONDS = 2.0


class _Rejections:
    def __init__(self) -> None:
        self.counts: Counter[tuple[datetime, str]] = Counter()

    def add(self, reason: str, count: int) -> None:
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.counts[(today, reason)] += count

    def take(self) -> dict[tuple[datetime, str], int]:
        taken = dict(self.counts)
        self.counts.clear()
        return taken

    def give_back(self, taken: dict[tuple[datetime, str], int]) -> None:
        self.counts.update(taken)


async def _write(db: Database, hits: Sequence[AcceptedHit], policy: IngestPolicy, rejections: _Rejections) -> None:
    """One transaction: the hits and the rejections counted so far."""
    taken = rejections.take()
    try:
        async with db.write_session() as session:
            if hits:
                await write_batch(session, hits, policy)
            if taken:
                await count_rejections(session, taken)
    except BaseException:
        rejections.give_back(taken)
        raise


def _refused_data(exc: DBAPIError) -> bool:
    """The database refused what was sent (bad data, a broken constraint), as opposed to being unreachable or
    busy: only the former is worth splitting a batch for."""
    return not exc.connection_invalidated and not isinstance(exc, OperationalError | InterfaceError)


async def _write_each(db: Database, hits: Sequence[AcceptedHit], policy: IngestPolicy, rejections: _Rejections) -> None:
    """Writes a batch; when the database refuses its data (not when it is unreachable), writes its hits one by
    one so that a hit no database can store (which validation should have refused) cannot hold up the others
    for ever. Such a hit is logged and counted as rejected (``unwritable``)."""
    try:
        await _write(db, hits, policy, rejections)
    except DBAPIError as exc:
        if not _refused_data(exc):
            raise
        if len(hits) <= 1:
            log.exception("analytics hit %s cannot be written; dropped", hits[0].ingest_id if hits else "-")
            rejections.add("unwritable", len(hits))
            return
        for hit in hits:
            await _write_each(db, [hit], policy, rejections)


class InProcessHitQueue:
    def __init__(
        self,
        db: Database,
        policy: IngestPolicy,
        *,
        batch_size: int = 500,
        flush_seconds: float = 1.0,
        max_pending: int = 100_000,
    ) -> None:
        self.db = db
        self.policy = policy
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.max_pending = max_pending
        self._pending: deque[AcceptedHit] = deque()
        self._rejections = _Rejections()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def put(self, hits: Sequence[AcceptedHit]) -> None:
        if self._stopping or len(self._pending) + len(hits) > self.max_pending:
            raise QueueFull(f"{len(self._pending)} hits are waiting to be written")
        self._pending.extend(hits)
        if len(self._pending) >= self.batch_size:
            self._wake.set()

    def reject(self, reason: str, count: int = 1) -> None:
        self._rejections.add(reason, count)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_seconds)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("analytics batch write failed; %d hits wait for the next try", len(self._pending))
                await asyncio.sleep(RETRY_SECONDS)

    async def flush(self) -> int:
        """Writes every waiting hit, a batch per transaction; returns how many."""
        written = 0
        async with self._lock:
            while True:
                batch = [self._pending[i] for i in range(min(self.batch_size, len(self._pending)))]
                await _write_each(self.db, batch, self.policy, self._rejections)
                for _ in batch:
                    self._pending.popleft()  # only now: a failed write leaves them waiting
                written += len(batch)
                if not self._pending:
                    return written

    async def close(self) -> None:
        """Stops the background writer and writes everything still waiting."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.flush()


class RedisHitQueue:
    def __init__(
        self,
        url: str,
        db: Database,
        policy: IngestPolicy,
        *,
        batch_size: int = 500,
        flush_seconds: float = 1.0,
        claim_idle_seconds: float = 60.0,
        stream: str = STREAM,
        consumer: str | None = None,
    ) -> None:
        self.redis: Any = aioredis.from_url(url, decode_responses=True)
        self.db = db
        self.policy = policy
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.claim_idle_ms = int(claim_idle_seconds * 1000)
        self.stream = stream
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._rejections = _Rejections()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._group_ready = False

    async def put(self, hits: Sequence[AcceptedHit]) -> None:
        if not hits:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for hit in hits:
                pipe.xadd(self.stream, {"h": json.dumps(hit.to_json(), separators=(",", ":"))})
            await pipe.execute()

    def reject(self, reason: str, count: int = 1) -> None:
        self._rejections.add(reason, count)

    async def ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except aioredis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    async def start(self) -> None:
        await self.ensure_group()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self.process_once(block_ms=int(self.flush_seconds * 1000))
            except Exception:
                log.exception("analytics batch from the Redis stream failed; it stays pending and is retried")
                await asyncio.sleep(RETRY_SECONDS)

    async def _entries(self, block_ms: int | None) -> list[tuple[str, dict[str, str]]]:
        # Abandoned entries of dead consumers first, then this consumer's own unacked ones, then new ones.
        claimed = await self.redis.xautoclaim(
            self.stream, GROUP, self.consumer, min_idle_time=self.claim_idle_ms, start_id="0-0", count=self.batch_size
        )
        entries = [(i, f) for i, f in claimed[1] if f]
        if entries:
            return entries
        own = await self.redis.xreadgroup(GROUP, self.consumer, {self.stream: "0"}, count=self.batch_size)
        entries = [(i, f) for _, items in own for i, f in items if f]
        if entries:
            return entries
        fresh = await self.redis.xreadgroup(
            GROUP, self.consumer, {self.stream: ">"}, count=self.batch_size, block=block_ms
        )
        return [(i, f) for _, items in fresh or [] for i, f in items if f]

    async def process_once(self, block_ms: int | None = None) -> int:
        """Writes one batch from the stream; returns how many entries it handled."""
        await self.ensure_group()
        entries = await self._entries(block_ms)
        hits: list[AcceptedHit] = []
        for entry_id, fields in entries:
            try:
                hits.append(AcceptedHit.from_json(json.loads(fields["h"])))
            except (KeyError, TypeError, ValueError):
                log.error("analytics stream entry %s is not a hit; dropped", entry_id)
        if hits or self._rejections.counts:
            await _write_each(self.db, hits, self.policy, self._rejections)
        if entries:
            ids = [entry_id for entry_id, _ in entries]
            await self.redis.xack(self.stream, GROUP, *ids)
            await self.redis.xdel(self.stream, *ids)
        return len(entries)

    async def drain(self) -> int:
        """Writes every entry waiting in the stream (tests, benchmarks); returns how many."""
        total = 0
        while count := await self.process_once(block_ms=None):
            total += count
        return total

    async def close(self) -> None:
        """Stops consuming after the current batch; what is left stays in the stream for the next consumer."""
        self._stopping = True
        if self._task is not None:
            await self._task
            self._task = None
        if self._rejections.counts:
            with contextlib.suppress(Exception):
                await _write(self.db, [], self.policy, self._rejections)
        await self.redis.aclose()
