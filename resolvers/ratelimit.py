"""Fixed-window rate limits per caller and route group, and leaky buckets of GraphQL cost per workspace:
Redis when configured, memory otherwise.

When Redis is configured but cannot be reached (refused, timed out, failing over), the Redis limiters fail
open: the request is served as if within its limits, its decision is marked ``counted=False`` (no
``X-RateLimit-*`` headers: nothing was counted), a warning is logged at most once a minute per limiter, and
each such decision is counted (``shopwright_rate_limiter_unavailable_total``). After a failure Redis is left
alone for ``retry_seconds`` (the decisions in between are made without it, so an unreachable Redis costs a
request nothing), then tried again by one request while the others go on without it until that one has its
answer (a Redis that does not answer at all costs one request its timeout every ``retry_seconds``, not every
request that arrives meanwhile): the limits apply again by themselves once it answers.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily, Metric
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Redis as a limiter store: a request waits at most this long for it (a LAN Redis answers in a millisecond).
STORE_TIMEOUT_SECONDS = 1.0
RETRY_SECONDS = 2.0  # after a failure, how long decisions are made without Redis before it is tried again
WARN_EVERY_SECONDS = 60.0  # at most one warning per limiter in this long while Redis stays unreachable
STORE_ERRORS = (RedisError, OSError, TimeoutError)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the window resets
    counted: bool = True  # False: the store was unreachable and the request was let through uncounted

    def headers(self) -> dict[str, str]:
        if not self.counted:
            return {}
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_after)
            headers["X-RateLimit-Reset"] = str(int(time.time()) + self.reset_after)
        return headers


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision: ...

    def refused_for(self, key: str) -> int | None:
        """Seconds left of a refusal this process saw for ``key`` (a hit over its limit), else None. Asks no
        store: a caller already refused is turned away without a round trip."""
        ...


class StoreGuard:
    """Fails a Redis limiter open while Redis is unreachable (see the module's docstring). ``unavailable``:
    the decisions made without the store since the limiter was built."""

    def __init__(
        self,
        name: str,
        *,
        retry_seconds: float = RETRY_SECONDS,
        warn_every: float = WARN_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.retry_seconds = retry_seconds
        self.warn_every = warn_every
        self.unavailable = 0
        self._clock = clock
        self._down = False
        self._retry_at = 0.0
        self._warned_at: float | None = None
        self._since_warning = 0

    def usable(self, *, decision: bool = True) -> bool:
        """Whether to ask the store now; False while it rests after a failure (a ``decision`` made without it
        is counted; giving cost back is not one)."""
        if self._down:
            now = self._clock()
            if now < self._retry_at:
                if decision:
                    self._missed()
                return False
            # This caller asks the store again; the others go on without it until the answer (``succeeded``
            # or ``failed``) or another rest has passed.
            self._retry_at = now + self.retry_seconds
        return True

    def failed(self, exc: BaseException) -> None:
        now = self._clock()
        self._down = True
        self._retry_at = now + self.retry_seconds
        self._missed()
        if self._warned_at is None or now - self._warned_at >= self.warn_every:
            log.warning(
                "rate limiter store unreachable (%s): the %s limits are not applied until it answers again; "
                "%d decision(s) made without it since the last warning",
                f"{type(exc).__name__}: {exc}",
                self.name,
                self._since_warning,
                extra={"limiter": self.name, "unavailable": self.unavailable},
            )
            self._warned_at = now
            self._since_warning = 0

    def succeeded(self) -> None:
        if self._down:
            self._down = False
            log.info("rate limiter store reachable again: the %s limits apply again", self.name)
            self._warned_at = None

    def _missed(self) -> None:
        self.unavailable += 1
        self._since_warning += 1


class Refusals:
    """What a limiter remembers of its refusals in this process: the key and when its window ends."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def refused_for(self, key: str) -> int | None:
        until = self._until.get(key)
        if until is None:
            return None
        left = until - time.monotonic()
        if left <= 0:
            del self._until[key]
            return None
        return max(1, math.ceil(left))

    def note(self, key: str, decision: RateDecision) -> RateDecision:
        if not decision.allowed:
            now = time.monotonic()
            if len(self._until) > 10_000:  # forget ended refusals
                self._until = {k: u for k, u in self._until.items() if u > now}
            self._until[key] = now + decision.reset_after
        return decision


def _window(window_seconds: int) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % window_seconds
    return start, start + window_seconds - now


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._refusals = Refusals()

    def refused_for(self, key: str) -> int | None:
        return self._refusals.refused_for(key)

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision:
        start, reset_after = _window(window_seconds)
        if len(self._counts) > 10_000:  # forget finished windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] == start}
        count = self._counts.get((key, start), 0) + 1
        self._counts[(key, start)] = count
        return self._refusals.note(key, RateDecision(count <= limit, limit, max(0, limit - count), reset_after))


def store_client(url: str) -> aioredis.Redis:
    """A Redis client for a limiter: short timeouts, so an unreachable Redis fails a request's check fast."""
    return aioredis.Redis.from_url(
        url, socket_connect_timeout=STORE_TIMEOUT_SECONDS, socket_timeout=STORE_TIMEOUT_SECONDS
    )


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "shopwright:rl:", *, retry_seconds: float = RETRY_SECONDS) -> None:
        self._client = store_client(url)
        self._prefix = prefix
        self._refusals = Refusals()
        self.guard = StoreGuard("requests", retry_seconds=retry_seconds)

    def refused_for(self, key: str) -> int | None:
        return self._refusals.refused_for(key)

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> RateDecision:
        start, reset_after = _window(window_seconds)
        if not self.guard.usable():
            return RateDecision(True, limit, limit, reset_after, counted=False)
        redis_key = f"{self._prefix}{key}:{start}"
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.incr(redis_key)
                pipe.expire(redis_key, window_seconds + 5)
                count, _ = await pipe.execute()
        except STORE_ERRORS as exc:
            self.guard.failed(exc)
            return RateDecision(True, limit, limit, reset_after, counted=False)
        self.guard.succeeded()
        decision = RateDecision(int(count) <= limit, limit, max(0, limit - int(count)), reset_after)
        return self._refusals.note(key, decision)

    async def close(self) -> None:
        await self._client.aclose()


class LimiterMetrics:
    """The limiters' figures on an app's registry: ``shopwright_rate_limiter_unavailable_total{limiter}``
    (decisions made without an unreachable store, read from the current limiters when scraped) and
    ``shopwright_auth_failures_total{outcome}`` (failed authentications ``counted`` against their address,
    and requests ``refused`` with a 429 because their address had too many)."""

    def __init__(self, registry: CollectorRegistry, limiters: Callable[[], dict[str, object]]) -> None:
        self._limiters = limiters
        registry.register(self)
        self.auth_failures = Counter(
            "shopwright_auth_failures",
            "Failed authentications counted against their client address, and requests refused for too many.",
            ["outcome"],
            registry=registry,
        )

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "shopwright_rate_limiter_unavailable",
            "Rate-limit decisions made without the limiter's store (Redis unreachable): requests let through.",
            labels=["limiter"],
        )
        for name, limiter in self._limiters().items():
            guard = getattr(limiter, "guard", None)
            family.add_metric([name], float(guard.unavailable) if isinstance(guard, StoreGuard) else 0.0)
        yield family

    def describe(self) -> Iterator[Metric]:
        yield CounterMetricFamily("shopwright_rate_limiter_unavailable", "", labels=["limiter"])


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
    def __init__(
        self,
        url: str,
        capacity: int,
        restore_rate: float,
        prefix: str = "shopwright:cost:",
        *,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self._client = store_client(url)
        self._script = self._client.register_script(_BUCKET_SCRIPT)
        self._prefix = prefix
        self.guard = StoreGuard("graphql_cost", retry_seconds=retry_seconds)

    async def take(self, key: str, points: int) -> BucketState:
        return await self._change(key, points)

    async def give_back(self, key: str, points: int) -> BucketState:
        return await self._change(key, -max(0, points))

    async def _change(self, key: str, points: int) -> BucketState:
        unknown = BucketState(True, float(self.capacity), self.capacity, self.restore_rate)  # failing open
        if not self.guard.usable(decision=points > 0):
            return unknown
        try:
            allowed, available = await self._script(
                keys=[f"{self._prefix}{key}"], args=[self.capacity, self.restore_rate, points]
            )
        except STORE_ERRORS as exc:
            self.guard.failed(exc)
            return unknown
        self.guard.succeeded()
        return BucketState(int(allowed) == 1, float(available), self.capacity, self.restore_rate)

    async def close(self) -> None:
        await self._client.aclose()
