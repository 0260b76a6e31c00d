"""Per-request context shared by GraphQL and the REST surfaces."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.accounts.service import AccountsService
from domain.accounts.tokens import AccessTokenSigner
from domain.db import Database, OutboxDispatcher, UnitOfWork
from domain.errors import Unauthenticated
from domain.jobs.ports import EventBus
from domain.jobs.registry import JobRegistry
from resolvers.ratelimit import MemoryRateLimiter, RateLimiter


@dataclass
class AppServices:
    """What request handling needs, built once by the composition root."""

    db: Database
    bus: EventBus
    dispatcher: OutboxDispatcher
    signer: AccessTokenSigner
    registry: JobRegistry
    token_ttl_seconds: int
    max_body_bytes: int
    redis_configured: bool = False
    rate_limiter: RateLimiter = field(default_factory=MemoryRateLimiter)
    providers: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.db.session() as session:
            yield session

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        async with self.db.unit_of_work(self.dispatcher) as uow:
            yield uow

    def accounts(self, session: AsyncSession) -> AccountsService:
        return AccountsService(session, self.signer, token_ttl_seconds=self.token_ttl_seconds)


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


async def authenticate(services: AppServices, token: str | None) -> Principal:
    if not token:
        raise Unauthenticated("Authentication required.", code="unauthenticated")
    async with services.read() as session:
        return await services.accounts(session).authenticate(token)


class RequestContext:
    """The GraphQL context: services, the caller (resolved once, lazily) and per-request loaders."""

    def __init__(
        self, services: AppServices, headers: Mapping[str, str], request: Any = None, response: Any = None
    ) -> None:
        self.services = services
        self.request = request
        self.response = response
        self.headers = headers
        self.connection_params: dict[str, Any] | None = None
        self._principal: Principal | None = None
        self.loaders: Any = None

    def token(self) -> str | None:
        if self.connection_params:
            for key in ("Authorization", "authorization", "authToken", "token"):
                value = self.connection_params.get(key)
                if isinstance(value, str) and value.strip():
                    return bearer_token({"authorization": value}) if " " in value.strip() else value.strip()
        return bearer_token(self.headers)

    async def principal(self) -> Principal:
        if self._principal is None:
            self._principal = await authenticate(self.services, self.token())
        return self._principal
