"""The GraphQL context: one typed object per HTTP request or WebSocket connection, and, per operation, the
``RequestScope`` (caller, read session, writes) and the DataLoaders built on it.

A WebSocket connection runs many operations, some at once, on one context; each operation gets its own
scope and loaders (``schema.extensions.OperationScope`` opens them around the operation and closes them
after). They are kept in a context variable, which every task of the operation inherits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from resolvers.context import AppServices, RequestScope, bearer_token
from resolvers.loaders import Loaders

T = TypeVar("T")


@dataclass
class Operation:
    scope: RequestScope
    loaders: Loaders


_OPERATION: ContextVar[Operation | None] = ContextVar("shopwright_graphql_operation", default=None)


@dataclass
class Context:
    services: AppServices
    request: Request | WebSocket
    response: Response | WebSocket | None = None
    connection_params: dict[str, Any] | None = field(default=None)

    @property
    def is_websocket(self) -> bool:
        return isinstance(self.request, WebSocket)

    def token(self) -> str | None:
        """The bearer token: from ``connection_init`` on a WebSocket when given there, else the headers."""
        if self.connection_params:
            for key in ("Authorization", "authorization", "authToken", "token"):
                value = self.connection_params.get(key)
                if isinstance(value, str) and value.strip():
                    return bearer_token({"authorization": value}) if " " in value.strip() else value.strip()
        return bearer_token(self.request.headers)

    # --- the current operation ------------------------------------------------------------------

    def open_operation(self) -> tuple[Operation, Any]:
        # Over HTTP the caller is read on the operation's read session (one connection checkout a request); a
        # WebSocket's subscription authenticates on a short session of its own and holds none while it streams.
        scope = RequestScope(self.services, self.token, authenticate_on_read=not self.is_websocket)
        loaders = Loaders(scope)
        scope.after_write.append(loaders.clear)
        operation = Operation(scope, loaders)
        return operation, _OPERATION.set(operation)

    @staticmethod
    async def close_operation(operation: Operation, token: Any) -> None:
        try:
            await operation.scope.close()
        finally:
            _OPERATION.reset(token)

    @property
    def operation(self) -> Operation:
        current = _OPERATION.get()
        if current is None:
            raise RuntimeError("no GraphQL operation is running (is the OperationScope extension installed?)")
        return current

    @property
    def scope(self) -> RequestScope:
        return self.operation.scope

    @property
    def loaders(self) -> Loaders:
        return self.operation.loaders

    async def principal(self) -> Principal:
        return await self.scope.principal()

    async def require(self, permission: str) -> Principal:
        """The caller, when it holds ``permission``."""
        principal = await self.principal()
        principal.require(permission)
        return principal

    async def read(self, fn: Callable[[AsyncSession, Principal], Awaitable[T]]) -> T:
        """``fn(session, caller)`` on the operation's read session (``RequestScope.read_as_caller``)."""
        return await self.scope.read_as_caller(fn)

    async def write(self, fn: Callable[[UnitOfWork, Principal], Awaitable[T]], *, retry_unique: bool = False) -> T:
        """``fn(unit of work, caller)`` in one transaction (``RequestScope.write_as_caller``)."""
        return await self.scope.write_as_caller(fn, retry_unique=retry_unique)
