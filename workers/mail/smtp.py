"""The SMTP mailer: one connection per message through aiosmtplib (STARTTLS, implicit TLS or plain; AUTH when a
username is set), every failure mapped to a ``MailError`` that says whether trying again later can help."""

from __future__ import annotations

import email.message
import email.utils
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import aiosmtplib

from domain.mail.ports import EmailMessage, MailError

TlsMode = Literal["starttls", "tls", "none"]


def sender_domain(sender: str) -> str:
    _, address = email.utils.parseaddr(sender)
    return address.rpartition("@")[2]


def check_sender(sender: str) -> str:
    """``sender`` if it is an address (``noreply@example.com`` or ``Shop <noreply@example.com>``)."""
    _, address = email.utils.parseaddr(sender)
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or any(c in sender for c in "\r\n"):
        raise ValueError(f"SHOPWRIGHT_SMTP_FROM is not an email address: {sender!r}")
    return sender


def compose(message: EmailMessage, sender: str) -> email.message.EmailMessage:
    """The MIME message: text only, or multipart/alternative with the text first and the HTML preferred."""
    mime = email.message.EmailMessage()
    mime["From"] = message.sender or sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = email.utils.formatdate(localtime=False)
    mime["Message-ID"] = email.utils.make_msgid(domain=sender_domain(message.sender or sender) or None)
    for name, value in message.headers.items():
        if name in mime:
            mime.replace_header(name, value)
        else:
            mime[name] = value
    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    return mime


def _describe(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()


def classify(exc: Exception) -> MailError:
    """A reply in the 4xx range, a timeout or a lost connection is transient; 5xx replies, refused TLS and missing
    server features are not (the server or the settings must change first)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        detail = "; ".join(f"{r.recipient}: {_describe(r)}" for r in exc.recipients)
        transient = bool(codes) and all(400 <= code < 500 for code in codes)
        return MailError(f"Recipient refused: {detail}", transient=transient, code=codes[0] if codes else None)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        transient = 400 <= exc.code < 500
        return MailError(f"The mail server answered {_describe(exc)}", transient=transient, code=exc.code)
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return MailError(f"The mail server timed out: {exc}", transient=True)
    if isinstance(exc, ssl.SSLError):
        return MailError(f"TLS with the mail server failed: {exc}", transient=False)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPConnectError | OSError):
        return MailError(f"Could not reach the mail server: {exc}", transient=True)
    # What is left is the server lacking what the settings ask for (STARTTLS, an AUTH mechanism ...).
    return MailError(f"The mail server cannot be used with these settings: {exc}", transient=False)


@dataclass(frozen=True)
class SmtpMailer:
    """``Mailer`` over SMTP. ``tls``: ``starttls`` (upgrade required, port 587), ``tls`` (implicit TLS, port 465)
    or ``none`` (plain, for a relay on a trusted network). Server certificates are always verified, against
    ``ca_file`` when given (a private CA) or the system's trust store."""

    host: str
    sender: str
    port: int = 587
    tls: TlsMode = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    retry_backoff_seconds: float = 10.0
    ca_file: Path | None = None

    def __post_init__(self) -> None:
        check_sender(self.sender)
        if self.password and not self.username:
            raise ValueError("SHOPWRIGHT_SMTP_PASSWORD is set without SHOPWRIGHT_SMTP_USERNAME")

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.tls == "none":
            return None
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    async def send(self, message: EmailMessage) -> None:
        try:
            mime = compose(message, self.sender)
        except ValueError as exc:  # a header the email package refuses (a line break in it)
            raise MailError(f"The message cannot be sent: {exc}", transient=False) from exc
        try:
            await aiosmtplib.send(
                mime,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.tls == "tls",
                start_tls=self.tls == "starttls",
                tls_context=self._tls_context(),
                timeout=self.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc
