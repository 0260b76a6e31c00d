"""A real SMTP server for the tests: aiosmtpd on a loopback port (in a thread of its own), recording every message
it accepts, and able to misbehave the ways a mail server does.

Use the ``smtp`` fixture (it resets the session's server for the test), ``mail_settings(smtp)`` for the settings
overrides that point the app at it, and ``mail_test_registry`` as the app's job registry (the test kinds plus
``mail.send``)::

    from tests.support.smtp import _smtp_server, mail_settings, mail_test_registry, smtp  # noqa: F401

    async def test_x(settings_factory, app_pool, smtp):
        settings = settings_factory(**mail_settings(smtp))
        async with app_pool.use(settings, mail_test_registry) as app: ...

Misbehaving: ``smtp.rcpt_reply`` / ``smtp.data_reply`` answer every RCPT TO / DATA with a reply of your choosing
("451 4.3.0 Try again later", "550 5.1.1 No such user"), ``smtp.fail_next(n, reply)`` only the next n DATA
commands; ``smtp.down()`` stops listening (connection refused) until ``smtp.up()``; ``silent_server()`` accepts
connections and never greets (a timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.message
import email.policy
import socket
import ssl
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from domain.jobs.registry import JobRegistry
from domain.mail.jobs import MAIL_KINDS
from tests.support import jobkinds

SENDER = "Shopwright <noreply@shop.example>"


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: email.message.EmailMessage
    login: str | None  # the AUTH user, when the client authenticated
    tls: bool  # whether the connection was encrypted (STARTTLS or implicit TLS)

    def part(self, content_type: str) -> str:
        """The decoded body of the first part of ``content_type`` (``text/plain``, ``text/html``), with the wire's
        CRLF line ends as ``\n``."""
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return str(part.get_content()).replace("\r\n", "\n")
        raise AssertionError(f"no {content_type} part in the message")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.server.rcpt_reply:
            return self.server.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.server.data_reply:
            return self.server.data_reply
        with self.server.lock:
            if self.server.failures:
                return self.server.failures.pop(0)
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        encrypted = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        received = Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), parsed, login, encrypted)
        with self.server.lock:
            self.server.messages.append(received)
        return "250 Message accepted for delivery"


class SmtpServer:
    """The recording server. Its settings may be changed by a test while it runs (the handler reads them on
    every command)."""

    def __init__(
        self, port: int | None = None, *, ssl_context: ssl.SSLContext | None = None, **smtp_kwargs: Any
    ) -> None:
        """``ssl_context``: implicit TLS; ``smtp_kwargs`` go to aiosmtpd's ``SMTP`` (``tls_context`` and
        ``require_starttls`` for STARTTLS)."""
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.lock = threading.Lock()
        self.messages: list[Received] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.failures: list[str] = []  # replies for the next DATA commands, one each, before accepting again
        # (user, password) the server accepts; None: any AUTH succeeds (and none is required).
        self.credentials: tuple[str, str] | None = None
        self._smtp_kwargs = {
            "authenticator": self._authenticate,
            "auth_require_tls": False,
            **smtp_kwargs,
        }
        self._ssl_context = ssl_context
        self._controller: Controller | None = None

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if self.credentials is not None:
            user, password = self.credentials
            if (auth_data.login.decode(), auth_data.password.decode()) != (user, password):
                return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=auth_data)

    def up(self) -> None:
        if self._controller is None:
            self._controller = Controller(
                _Handler(self), hostname=self.host, port=self.port, ssl_context=self._ssl_context, **self._smtp_kwargs
            )
            self._controller.start()

    def down(self) -> None:
        """Stop listening: connecting is refused until ``up()``."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def reset(self) -> None:
        self.up()
        with self.lock:
            self.messages.clear()
            self.failures.clear()
        self.rcpt_reply = None
        self.data_reply = None
        self.credentials = None

    def fail_next(self, times: int, reply: str) -> None:
        """Answer the next ``times`` DATA commands with ``reply``, then accept again."""
        with self.lock:
            self.failures.extend([reply] * times)

    def received(self) -> list[Received]:
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received() if address in m.rcpt_tos]

    async def wait_for(self, count: int, *, timeout: float = 15.0) -> list[Received]:
        """The messages once at least ``count`` have arrived."""
        async with asyncio.timeout(timeout):
            while True:  # the server runs in another thread: polled
                got = self.received()
                if len(got) >= count:
                    return got
                await asyncio.sleep(0.02)


def mail_settings(server: SmtpServer, **overrides: Any) -> dict[str, Any]:
    """Settings overrides pointing the app at ``server``: plain SMTP, short timeout, no wait between retries."""
    values: dict[str, Any] = {
        "smtp_host": server.host,
        "smtp_port": server.port,
        "smtp_tls": "none",
        "smtp_from": SENDER,
        "smtp_timeout_seconds": 2.0,
        "smtp_retry_backoff_seconds": 0.0,
    }
    values.update(overrides)
    return values


def mail_test_registry() -> JobRegistry:
    """The test job kinds plus ``mail.send``."""
    registry = JobRegistry()
    jobkinds.register(registry)
    for kind in MAIL_KINDS:
        registry.register(kind)
    return registry


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[tuple[str, int]]:
    """A TCP server on loopback that accepts connections and never says a word (the SMTP greeting times out)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield "127.0.0.1", int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def self_signed(directory: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost (made with the openssl command)."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)


@pytest.fixture(scope="session")
def _smtp_server() -> Iterator[SmtpServer]:
    # One per session: apps are pooled by their settings, so one port keeps one shared app per registry.
    server = SmtpServer()
    server.up()
    try:
        yield server
    finally:
        server.down()


@pytest.fixture
def smtp(_smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    _smtp_server.reset()
    yield _smtp_server
    _smtp_server.reset()
