"""What request handling shares: the services the composition root builds once (``AppServices``), and each
request's own ``RequestScope`` — the caller, one read session that everything the request reads goes
through (DataLoaders included), and writes through units of work.

REST surfaces open a scope per request (``resolvers.rest.surface``); GraphQL opens one per operation
(``schema.extensions.OperationScope``). Handlers and resolvers call domain services with the scope's session
or unit of work; they never open sessions of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.plans import Plans
from domain.accounts.principal import Principal
from domain.accounts.service import AccountsService
from domain.accounts.tokens import TokenService
from domain.ai.ports import ProviderSet
from domain.db import Database, OutboxDispatcher, UnitOfWork
from domain.errors import Conflict, Unauthenticated
from domain.jobs.ports import EventBus
from domain.jobs.registry import JobRegistry
from domain.media.ports import MediaPorts
from domain.references import WorkspaceReferences
from domain.validation import parse
from resolvers.auth_limits import AuthThrottled, current_client
from resolvers.metrics import Metrics
from resolvers.ratelimit import CostBucket, LimiterMetrics, MemoryCostBucket, MemoryRateLimiter, RateLimiter

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

WRITE_ATTEMPTS = 5
READ_WAIT_SECONDS = 30.0


@dataclass
class AppServices:
    """What request handling needs, built once by the composition root."""

    db: Database
    bus: EventBus
    dispatcher: OutboxDispatcher
    tokens: TokenService
    registry: JobRegistry
    token_ttl_seconds: int
    max_body_bytes: int
    media: MediaPorts  # storage, signed URLs and the image fetcher (``shopwright.runtime.build_media``)
    providers: ProviderSet = field(default_factory=ProviderSet)
    public_url: str | None = None
    redis_configured: bool = False
    rate_limiter: RateLimiter = field(default_factory=MemoryRateLimiter)
    rate_limits: Mapping[str, int] = field(default_factory=dict)  # "<surface>.<group>" -> per minute (0: none)
    cost_bucket: CostBucket = field(default_factory=lambda: MemoryCostBucket(1000, 50.0))  # GraphQL, per workspace
    metrics: Metrics = field(default_factory=Metrics)  # on the registry /metrics exposes
    ws_access_check_seconds: float = 2.0  # how often open WebSockets' credentials are checked again
    plans: Plans = field(default_factory=Plans)  # plan name -> monthly credits (SHOPWRIGHT_PLANS)
    chips_per_credit: int = 1000  # the store document's AI Chips per credit (SHOPWRIGHT_CHIPS_PER_CREDIT)
    limiter_metrics: LimiterMetrics = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Read from whichever limiters the services hold when scraped (tests swap them).
        self.limiter_metrics = LimiterMetrics(
            self.metrics.registry, lambda: {"requests": self.rate_limiter, "graphql_cost": self.cost_bucket}
        )

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A short read session, for work outside a request (startup, health, tests)."""
        async with self.db.session() as session:
            yield session

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        async with self.db.unit_of_work(self.dispatcher) as uow:
            yield uow

    def accounts(self, session: AsyncSession) -> AccountsService:
        return AccountsService(session, self.tokens, token_ttl_seconds=self.token_ttl_seconds, plans=self.plans)

    def public_base(self, fallback: str) -> str:
        """SHOPWRIGHT_PUBLIC_URL, else ``fallback`` (the request's own base URL), without a trailing slash."""
        return (self.public_url or fallback).rstrip("/")


def bearer_token(headers: Mapping[str, str], *, allow_x_api_key: bool = False) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (or ``x-api-key`` where a surface allows it).

    Raises ``Unauthenticated`` for an Authorization header of another scheme.
    """
    header = headers.get("authorization")
    if header:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Use 'Authorization: Bearer <token>'.", code="invalid_token")
        return token.strip()
    if allow_x_api_key:
        key = headers.get("x-api-key")
        if key and key.strip():
            return key.strip()
    return None


class RequestScope:
    """One request's view of the service (or one GraphQL operation's).

    - ``principal()``: the caller, authenticated once, on first use (credentials that fail, fail again
      without a second check). A failure counts against the client's address, and an address with too many
      is refused with a 429 (``resolvers.auth_limits``).
    - ``read_as_caller(fn)`` / ``write_as_caller(fn)``: ``fn(session or uow, caller)``, for the many reads
      and writes that act for the caller.
    - ``reading()`` / ``read(fn)``: the request's one read session, opened on first use and shared by
      everything the request reads; uses are serialised (one connection runs one statement at a time).
      A read must not wait for another read of the same scope (a DataLoader, ``principal()``, ``parse()``):
      take what you need first. Re-entering from the same task raises at once.
    - ``writing()`` / ``write(fn)``: a unit of work (one transaction, events dispatched after commit). The read
      session gives its connection back first, so a request never holds one connection while it waits for
      another (that would exhaust the pool under load). After the commit, the read session starts afresh
      and ``after_write`` hooks run (loaders drop their cache), so later reads see what was written.

    Authentication uses a short session of its own: a subscription that only needs its caller holds no
    connection while it streams. With ``authenticate_on_read=True`` (a REST request, which reads right after
    it authenticates) it uses the request's read session instead: one session and one connection checkout
    fewer per request, and still one connection at a time.
    """

    def __init__(
        self, services: AppServices, token: Callable[[], str | None], *, authenticate_on_read: bool = False
    ) -> None:
        self.services = services
        self._token = token
        self._authenticate_on_read = authenticate_on_read
        self._principal: Principal | None = None
        self._refusal: Unauthenticated | None = None
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None
        self.after_write: list[Callable[[], None]] = []

    async def __aenter__(self) -> RequestScope:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    # --- the caller -----------------------------------------------------------------------------

    async def principal(self) -> Principal:
        if self._principal is not None:
            return self._principal
        if self._refusal is not None:
            raise self._refusal
        token = self._token()
        if not token:
            raise Unauthenticated("Authentication required.", code="unauthenticated")
        client = current_client()
        limiter = self.services.rate_limiter
        if client is not None:
            retry_after = limiter.refused_for(client.key)  # memory only: a success pays no round trip
            if retry_after is not None:
                raise self._throttled(retry_after)
        try:
            if self._authenticate_on_read and self._holder is not asyncio.current_task():
                async with self.reading() as session:
                    self._principal = await self.services.accounts(session).authenticate(token)
            else:
                async with self.services.read() as session:
                    self._principal = await self.services.accounts(session).authenticate(token)
        except Unauthenticated as exc:
            self._refusal = exc
            if client is not None:
                decision = await limiter.hit(client.key, client.per_minute)
                if decision.counted:
                    self.services.limiter_metrics.auth_failures.labels("counted").inc()
                if not decision.allowed:
                    raise self._throttled(max(1, decision.reset_after)) from exc
            raise
        return self._principal

    def _throttled(self, retry_after: int) -> AuthThrottled:
        """The refusal of a client with too many failed authentications (kept: asked again, it is the same)."""
        client = current_client()
        if client is not None:
            client.retry_after = retry_after
        self.services.limiter_metrics.auth_failures.labels("refused").inc()
        self._refusal = AuthThrottled(retry_after)
        return self._refusal

    async def read_as_caller(self, fn: Callable[[AsyncSession, Principal], Awaitable[T]]) -> T:
        """``fn(session, caller)`` on the read session, the caller authenticated first."""
        principal = await self.principal()
        return await self.read(lambda session: fn(session, principal))

    async def write_as_caller(
        self, fn: Callable[[UnitOfWork, Principal], Awaitable[T]], *, retry_unique: bool = False
    ) -> T:
        """``fn(unit of work, caller)`` in one transaction (see ``write``), the caller authenticated first."""
        principal = await self.principal()
        return await self.write(lambda uow: fn(uow, principal), retry_unique=retry_unique)

    @property
    def authenticated(self) -> Principal | None:
        """The caller when already authenticated (for logs and rate limits), else None."""
        return self._principal

    # --- reads ----------------------------------------------------------------------------------

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        session = await self._hold()
        try:
            yield session
        finally:
            self._unhold()

    async def read(self, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
        session = await self._hold()  # ``reading``, without a context manager's generator: a page reads six times
        try:
            return await fn(session)
        finally:
            self._unhold()

    async def _hold(self) -> AsyncSession:
        """The read session, held by the running task until it releases ``_lock`` (and clears ``_holder``)."""
        task = asyncio.current_task()
        if self._holder is not None and self._holder is task:
            raise RuntimeError("RequestScope.reading() re-entered: take what the read needs before it starts")
        if self._lock.locked():  # a read waiting on another read of this scope: fail after READ_WAIT_SECONDS
            async with asyncio.timeout(READ_WAIT_SECONDS):
                await self._lock.acquire()
        else:  # free: taken at once, nothing to time
            await self._lock.acquire()
        self._holder = task
        if self._session is None:
            self._session = self.services.db.sessionmaker()
        return self._session

    def _unhold(self) -> None:
        """Let the next read hold the session (``_hold``)."""
        self._holder = None
        self._lock.release()

    async def parse(
        self, model: type[M], data: Any, *, partial: bool = False, code: str | None = None, subject: int | None = None
    ) -> M:
        """``data`` as ``model``; ids a field names (``Ref``) and values no other object may hold (``Unique``;
        ``subject``: the object an update changes) are checked against the caller's workspace."""
        principal = await self.principal()
        async with self.reading() as session:
            refs = WorkspaceReferences(session, principal.workspace_id)
            return await parse(model, data, partial=partial, refs=refs, code=code, subject=subject)

    # --- writes ---------------------------------------------------------------------------------

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[UnitOfWork]:
        await self._release()
        async with self.services.unit_of_work() as uow:
            yield uow
        await self._release()
        for hook in self.after_write:
            hook()

    async def write(self, fn: Callable[[UnitOfWork], Awaitable[T]], *, retry_unique: bool = False) -> T:
        """``fn`` in one transaction. With ``retry_unique``, a transaction that lost a race for a unique
        value it generated (the next free slug, a new user's email) runs again and sees the winner's row;
        repeated collisions answer 409, never a server error."""
        attempts = WRITE_ATTEMPTS if retry_unique else 1
        for attempt in range(attempts):
            try:
                async with self.writing() as uow:
                    return await fn(uow)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise Conflict("A concurrent change got there first; retry the request.") from None
        raise AssertionError("unreachable")

    async def _release(self) -> None:
        """Give the read session's connection back. Closing (not rolling back) keeps what was loaded
        readable; the next read begins a new transaction, which sees what was committed since."""
        async with self._lock:
            if self._session is not None:
                session, self._session = self._session, None
                await session.close()


async def authenticate(services: AppServices, token: str | None) -> Principal:
    """The caller a token names, outside any request scope (WebSocket connection checks)."""
    async with RequestScope(services, lambda: token) as scope:
        return await scope.principal()
