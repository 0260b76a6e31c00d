"""Fixed-window rate limits per caller and route group, and leaky buckets of GraphQL cost per workspace:
Redis when configured, memory otherwise."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the window resets

    def headers(self) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_after)
            headers["X-RateLimit-Reset"] = str(int(time.time()) + self.reset_after)
        return headers


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision: ...


def _window(window_seconds: int) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % window_seconds
    return start, start + window_seconds - now


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision:
        start, reset_after = _window(window_seconds)
        if len(self._counts) > 10_000:  # forget finished windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] == start}
        count = self._counts.get((key, start), 0) + 1
        self._counts[(key, start)] = count
        return RateDecision(count <= limit, limit, max(0, limit - count), reset_after)


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "shopwright:rl:") -> None:
        self._client = aioredis.Redis.from_url(url)
        self._prefix = prefix

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision:
        start, reset_after = _window(window_seconds)
        redis_key = f"{self._prefix}{key}:{start}"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window_seconds + 5)
            count, _ = await pipe.execute()
        return RateDecision(int(count) <= limit, limit, max(0, limit - int(count)), reset_after)

    async def close(self) -> None:
        await self._client.aclose()


# --- cost buckets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketState:
    """A bucket after a take or a give-back. ``allowed``: the take fitted (and was taken)."""

    allowed: bool
    available: float
    capacity: int
    restore_rate: float  # points a second

    def retry_after(self, wanted: int) -> int:
        """Whole seconds until ``wanted`` points are available."""
        return max(1, math.ceil(max(0.0, wanted - self.available) / self.restore_rate))


class CostBucket(Protocol):
    """A leaky bucket per key (a workspace): ``capacity`` points, refilled at ``restore_rate`` a second. A take
    that does not fit takes nothing; what was taken and not used is given back."""

    capacity: int
    restore_rate: float

    async def take(self, key: str, points: int) -> BucketState: ...

    async def give_back(self, key: str, points: int) -> BucketState: ...


class MemoryCostBucket:
    def __init__(self, capacity: int, restore_rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self._clock = clock
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (available, when)

    async def take(self, key: str, points: int) -> BucketState:
        return self._change(key, points)

    async def give_back(self, key: str, points: int) -> BucketState:
        return self._change(key, -max(0, points))

    def _change(self, key: str, points: int) -> BucketState:
        now = self._clock()
        available = self._available(key, now)
        allowed = points <= available
        if allowed:
            available = min(float(self.capacity), available - points)
        if len(self._levels) > 10_000:  # forget buckets that have filled up again
            self._levels = {k: v for k, v in self._levels.items() if self._available(k, now) < self.capacity}
        self._levels[key] = (available, now)
        return BucketState(allowed, available, self.capacity, self.restore_rate)

    def _available(self, key: str, now: float) -> float:
        available, when = self._levels.get(key, (float(self.capacity), now))
        return min(float(self.capacity), available + max(0.0, now - when) * self.restore_rate)


# One round trip, atomic, on the server's clock (every process shares it). A take that does not fit changes
# nothing but the refill; a negative change gives points back.
_BUCKET_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local change = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local saved = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = capacity
if saved[1] then
  available = math.min(capacity, tonumber(saved[1]) + math.max(0, now - tonumber(saved[2])) * rate)
end
local allowed = 0
if change <= available then
  allowed = 1
  available = math.min(capacity, available - change)
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return {allowed, tostring(available)}
"""


class RedisCostBucket:
    def __init__(self, url: str, capacity: int, restore_rate: float, prefix: str = "shopwright:cost:") -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self._client = aioredis.Redis.from_url(url)
        self._script = self._client.register_script(_BUCKET_SCRIPT)
        self._prefix = prefix

    async def take(self, key: str, points: int) -> BucketState:
        return await self._change(key, points)

    async def give_back(self, key: str, points: int) -> BucketState:
        return await self._change(key, -max(0, points))

    async def _change(self, key: str, points: int) -> BucketState:
        allowed, available = await self._script(
            keys=[f"{self._prefix}{key}"], args=[self.capacity, self.restore_rate, points]
        )
        return BucketState(int(allowed) == 1, float(available), self.capacity, self.restore_rate)

    async def close(self) -> None:
        await self._client.aclose()
