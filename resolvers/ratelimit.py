"""Fixed-window rate limits per caller and route group: Redis when configured, memory otherwise."""

from __future__ import annotations

import time
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
