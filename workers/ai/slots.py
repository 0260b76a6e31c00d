"""Slots for AI provider calls: how many may be in flight at once, in this process and across all of them.

``LocalSlots`` is the per-process cap (``SHOPWRIGHT_LLM_CONCURRENCY``). ``SharedSlots`` adds a cap shared by
every process that names the same Redis key (``SHOPWRIGHT_LLM_GLOBAL_CONCURRENCY``), so N workers never send
N times the per-process cap at once. A call takes its local slot first, then a shared one, so a process never
holds more shared slots than it can use.

The shared cap is a fair semaphore in Redis, each step one Lua script on Redis's clock:

- ``holders`` (sorted set, token → lease end): a slot is held under a lease of ``lease_seconds``, renewed by
  the holder every third of it; a process that dies holding slots gives them back when their leases end.
- ``queue`` (sorted set, token → ticket from a counter) and ``waiting`` (token → waiting-lease end): callers
  queue in arrival order across processes and get a slot when fewer callers are ahead of them than slots are
  free; a waiter that stops asking (its process died) drops out of the queue when its waiting lease ends.
- ``wake:<token>`` (a list): giving a slot back (or leaving the queue) hands the free slots to the callers now
  first in line, as many as there are free slots, and pushes a wake-up onto each one's list; each waiter blocks
  on its own list (``BLPOP``), and once woken holds its slot: it sends its call without asking Redis again (a
  hand-off is one round trip, the giver's; before, the woken waiter asked again, a second round trip on the
  hand-off's way). A slot handed over is under the waiter's waiting lease until the waiter renews it (half a
  waiting lease after it woke), so a waiter whose process died keeps a slot handed to it no longer than it
  would have kept its place in the queue. (The scripts name these lists from the prefix: one Redis server, not
  Redis Cluster.)

A waiter also asks again every ``wait_lease_seconds / 4`` (at most ``max_wait_seconds``) without a wake-up:
that renews its place in the queue and finds the slots whose holders died (their leases ended; nobody gave them
back). Before wake-ups, waiters polled every 5 to 50 ms, and each hand-off between processes cost up to a poll.
No maintained library does this with leases for both holders and waiters (the ones on PyPI are early releases
or cannot take back a dead process's slots), so it is written here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

LEASE_SECONDS = 30.0  # a held slot; renewed every third of it while the call runs
WAIT_LEASE_SECONDS = 10.0  # a place in the queue; renewed by every ask
MAX_WAIT_SECONDS = 1.0  # longest a waiter blocks for a wake-up before asking again (under the socket timeout)


class SlotsUnavailable(Exception):
    """The shared slots could not be reached (Redis down): the call is not made."""


class CallSlots(Protocol):
    limit: int

    def slot(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Held while one provider call is in flight."""
        ...

    async def warm(self) -> None:
        """Makes ready what the first calls would otherwise wait for (a worker does it before its first job)."""
        ...

    async def close(self) -> None: ...


class LocalSlots:
    """At most ``limit`` calls in flight in this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphore = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._semaphore:
            yield

    async def warm(self) -> None:
        return None

    async def close(self) -> None:
        return None


# Shared by the scripts below: Redis's clock in ms, and dropping ended leases (holders that died, waiters that
# stopped asking) so that they neither hold a slot nor stand in line.
_PRELUDE = """
local holders, queue, waiting = KEYS[1], KEYS[2], KEYS[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', holders, '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', waiting, '-inf', now)
for _, stale in ipairs(gone) do
  redis.call('ZREM', queue, stale)
end
redis.call('ZREMRANGEBYSCORE', waiting, '-inf', now)
"""

# Hands the free slots to the callers first in line, as many as there are free slots, and wakes them (KEYS[5]:
# the wake-list prefix): a woken caller already holds its slot, so it sends its call without asking again. Its
# lease is its waiting lease until it renews it: a caller whose process died while queued holds a slot handed to
# it no longer than it would have kept its place in the queue.
_GRANT = """
local free = tonumber(ARGV[2]) - redis.call('ZCARD', holders)
if free > 0 then
  for _, next_token in ipairs(redis.call('ZRANGE', queue, 0, free - 1)) do
    local until_ms = tonumber(redis.call('ZSCORE', waiting, next_token)) or (now + tonumber(ARGV[4]))
    redis.call('ZREM', queue, next_token)
    redis.call('ZREM', waiting, next_token)
    redis.call('ZADD', holders, until_ms, next_token)
    local wake = KEYS[5] .. next_token
    redis.call('RPUSH', wake, 1)
    redis.call('PEXPIRE', wake, tonumber(ARGV[4]))
  end
end
"""

# KEYS: holders, queue, waiting, counter, wake prefix. ARGV: token, limit, lease ms, waiting lease ms.
# Returns 1 when the token now holds a slot (also: one handed to it), else 0 (it is queued, or stays queued).
_ACQUIRE = (
    _PRELUDE
    + """
local counter = KEYS[4]
local token, limit, lease, wait_lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZSCORE', holders, token) then
  -- handed a slot while it was not listening (its wait for a wake-up had just timed out)
  redis.call('ZADD', holders, now + lease, token)
  redis.call('DEL', KEYS[5] .. token)
  return 1
end
if not redis.call('ZSCORE', queue, token) then
  redis.call('ZADD', queue, redis.call('INCR', counter), token)
end
local rank = redis.call('ZRANK', queue, token)
if rank < limit - redis.call('ZCARD', holders) then
  redis.call('ZREM', queue, token)
  redis.call('ZREM', waiting, token)
  redis.call('ZADD', holders, now + lease, token)
  for i = 1, 4 do
    redis.call('PEXPIRE', KEYS[i], lease + wait_lease)
  end
  return 1
end
redis.call('ZADD', waiting, now + wait_lease, token)
for i = 1, 4 do
  redis.call('PEXPIRE', KEYS[i], lease + wait_lease)
end
return 0
"""
)

# KEYS: as _ACQUIRE. ARGV: token, limit, (unused), waiting lease ms. The token gives its slot back (also one
# handed to it that it has not used), or leaves the queue (a waiter cancelled), and the slots now free are handed
# to the callers first in line.
_RELEASE = (
    _PRELUDE
    + """
redis.call('ZREM', holders, ARGV[1])
redis.call('ZREM', queue, ARGV[1])
redis.call('ZREM', waiting, ARGV[1])
redis.call('DEL', KEYS[5] .. ARGV[1])
"""
    + _GRANT
)

# KEYS: holders. ARGV: token, lease ms. 1 when the lease was renewed, 0 when it had already ended.
_RENEW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
"""

# KEYS: holders. The slots held under a lease that has not ended.
_COUNT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
"""


class SharedSlots:
    """At most ``limit`` calls in flight across every process using ``key`` on the Redis at ``url``, and at most
    ``local.limit`` in this one."""

    def __init__(
        self,
        url: str,
        *,
        key: str,
        limit: int,
        local: LocalSlots,
        lease_seconds: float = LEASE_SECONDS,
        wait_lease_seconds: float = WAIT_LEASE_SECONDS,
        max_wait_seconds: float = MAX_WAIT_SECONDS,
    ) -> None:
        self.limit = limit
        self.local = local
        self.lease_ms = int(lease_seconds * 1000)
        self.wait_lease_ms = int(wait_lease_seconds * 1000)
        # Between asks a waiter blocks on its wake-up list: well within its waiting lease, so it keeps its place.
        self.wait_seconds = min(max_wait_seconds, wait_lease_seconds / 4)
        self._keys = [f"{key}:holders", f"{key}:queue", f"{key}:waiting", f"{key}:counter", f"{key}:wake:"]
        # A waiter holds a connection while it blocks, as do the calls giving slots back: room for all of them.
        self._client = aioredis.Redis.from_url(url, max_connections=max(100, 2 * local.limit + 4))
        self._acquire = self._client.register_script(_ACQUIRE)
        self._release = self._client.register_script(_RELEASE)
        self._renew = self._client.register_script(_RENEW)
        self._count = self._client.register_script(_COUNT)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.local.slot():
            token = uuid.uuid4().hex
            handed = await self._take(token)
            # A slot handed over by a wake-up is under the waiter's waiting lease (at least three quarters of it
            # left: the waiter asked at most a quarter of it ago), so its first renewal comes sooner.
            first = self.wait_lease_ms / 2000 if handed else self.lease_ms / 3000
            renewing = asyncio.create_task(self._keep(token, first))
            try:
                yield
            finally:
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                await self._give_back(token)

    async def holders(self) -> int:
        """How many slots are held now, in every process (for tests and diagnostics)."""
        return int(await self._count(keys=self._keys[:1]))

    async def warm(self) -> None:
        """Opens the connections this process's first ``local.limit`` calls take at once, and loads the scripts:
        otherwise the first calls of a worker's first job each wait for a connection to be made (TCP and the
        client's hello) before they ask for a slot."""
        pool = self._client.connection_pool
        connections = []
        try:
            for _ in range(self.local.limit):
                connections.append(await pool.get_connection())  # type: ignore[no-untyped-call]  # connected
        finally:
            for connection in connections:
                await pool.release(connection)
        for script in (self._acquire, self._release, self._renew):
            await self._client.script_load(script.script)

    async def close(self) -> None:
        await self._client.aclose()

    def _args(self, token: str) -> list[str | int]:
        return [token, self.limit, self.lease_ms, self.wait_lease_ms]

    async def _take(self, token: str) -> bool:
        """Returns once the token holds a slot: True when it was handed over by a wake-up (no second ask)."""
        wake = self._keys[4] + token
        try:
            while not await self._acquire(keys=self._keys, args=self._args(token)):
                if await self._client.blpop([wake], timeout=self.wait_seconds):
                    return True  # a slot given back was handed to this token
            return False
        except RedisError as exc:
            await self._leave(token)
            raise SlotsUnavailable(f"the shared AI call slots in Redis are unreachable: {exc}") from None
        except BaseException:  # cancelled while queued: leave the queue so nobody waits behind a ghost
            await self._leave(token)
            raise

    async def _keep(self, token: str, first: float) -> None:
        """Renews the token's lease ``first`` seconds from now, then every third of a lease."""
        wait = first
        while True:
            await asyncio.sleep(wait)
            wait = self.lease_ms / 3000
            try:
                if not await self._renew(keys=self._keys[:1], args=[token, self.lease_ms]):
                    log.warning("an AI call held its shared slot past the lease; another call may have taken it")
                    return
            except RedisError as exc:
                log.warning("could not renew a shared AI call slot: %s", exc)

    async def _give_back(self, token: str) -> None:
        try:
            await self._release(keys=self._keys, args=self._args(token))
        except RedisError as exc:  # the lease ends by itself
            log.warning("could not give back a shared AI call slot (its lease will end): %s", exc)

    async def _leave(self, token: str) -> None:
        """Out of the queue (or, taken just as the wait was cancelled, the slot given back), waking who is next."""
        with contextlib.suppress(RedisError):
            await self._release(keys=self._keys, args=self._args(token))
