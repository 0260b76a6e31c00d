"""A limit on failed authentication per client address, for every surface (REST, GraphQL over HTTP and
WebSocket): credentials are not to be guessed at leisure.

``AuthFailureMiddleware`` (on the whole app) says who the client is, the address the connection comes from
(or, from a trusted proxy, the right-most ``X-Forwarded-For`` entry that is not itself one), and how many
failures a minute it may have. ``RequestScope.principal()`` does the rest with the app's one rate limiter
(``resolvers.ratelimit``: Redis when configured, memory otherwise):

- a request whose credentials do not authenticate counts one failure against its address (one limiter hit);
  past the limit it is answered 429 instead of 401;
- while this process knows the address to be over its limit, every request of it that presents credentials
  is refused with the same 429 before they are checked (a guess that happens to be right is refused too,
  else refusals would tell a guesser nothing). Another process learns it at its own first failure from the
  address, so a window allows at most ``limit`` failures plus one a process;
- a request that authenticates costs nothing more: no store round trip, one dictionary lookup.

The refusal is an ``Unauthenticated`` error (status 429, code ``rate_limited``): each REST surface answers it
in its own 429 body; GraphQL with a ``RATE_LIMITED`` error. The middleware adds ``Retry-After`` and makes
the status 429 where the surface answered 401 or 200 (GraphQL). When the limiter's store is unreachable the
limiter fails open (``resolvers.ratelimit``): failures are answered 401, uncounted.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.analytics.geo import IPNetwork, client_ip
from domain.errors import Unauthenticated

KEY_PREFIX = "auth-failures:"


class AuthThrottled(Unauthenticated, status=429, code="rate_limited"):
    """Too many failed authentications from the caller's address: its credentials are not checked."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed authentication attempts from this address; retry after {retry_after} s.")
        self.retry_after = retry_after


@dataclass
class ClientAttempts:
    """The request's client, as far as failed authentication is concerned. ``retry_after``: set when its
    credentials were refused for too many failures (the middleware answers 429 with it)."""

    address: str
    per_minute: int
    retry_after: int | None = None

    @property
    def key(self) -> str:
        return KEY_PREFIX + self.address


_CLIENT: ContextVar[ClientAttempts | None] = ContextVar("shopwright_auth_client", default=None)


def current_client() -> ClientAttempts | None:
    """The client of the request being handled, when failed authentications are limited (else None)."""
    return _CLIENT.get()


class AuthFailureMiddleware:
    """Pure ASGI (the request's task and context are the app's). ``per_minute`` 0: no limit."""

    def __init__(self, app: ASGIApp, *, per_minute: int, trusted_proxies: Sequence[IPNetwork] = ()) -> None:
        self.app = app
        self.per_minute = per_minute
        self.trusted_proxies = tuple(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.per_minute <= 0 or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        address = self._address(scope)
        if address is None:
            await self.app(scope, receive, send)
            return
        client = ClientAttempts(address, self.per_minute)

        async def send_refusal(message: Message) -> None:
            if message["type"] == "http.response.start" and client.retry_after is not None:
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"retry-after"]
                headers.append((b"retry-after", str(client.retry_after).encode("ascii")))
                if status < 400 or status == 401:  # GraphQL's 200 (or 401): the credentials were refused
                    status = 429
                message = {**message, "status": status, "headers": headers}
            await send(message)

        token = _CLIENT.set(client)
        try:
            await self.app(scope, receive, send_refusal)
        finally:
            _CLIENT.reset(token)

    def _address(self, scope: Scope) -> str | None:
        peer = scope.get("client")
        host = peer[0] if peer else None
        if not self.trusted_proxies:
            return host if isinstance(host, str) else None
        forwarded = None
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                forwarded = value.decode("latin-1") if forwarded is None else f"{forwarded},{value.decode('latin-1')}"
        return client_ip(host, forwarded, self.trusted_proxies)
