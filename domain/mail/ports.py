"""What the domain needs to send email. The composition root builds the real adapter (``workers.mail.smtp``,
SMTP through aiosmtplib) from the ``SHOPWRIGHT_SMTP_*`` settings and hands it down as ``ProviderSet.mail``;
without those settings there is no mailer and nothing is queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["EmailMessage", "MailError", "Mailer"]


@dataclass(frozen=True)
class EmailMessage:
    """One message to one recipient. ``sender`` None: the mailer's configured sender (``SHOPWRIGHT_SMTP_FROM``).
    ``html`` None sends a text-only message; otherwise the message is multipart/alternative (text, then HTML)."""

    to: str
    subject: str
    text: str
    html: str | None = None
    sender: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


class MailError(Exception):
    """Sending failed. ``transient``: worth trying again later (the server was unreachable, timed out, or answered
    with a 4xx reply); otherwise retrying cannot help (a 5xx reply, a refused recipient or sender)."""

    def __init__(self, message: str, *, transient: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        # The SMTP reply code, when the server answered.
        self.code = code


class Mailer(Protocol):
    @property
    def retry_backoff_seconds(self) -> float:
        """How long the ``mail.send`` job waits before its second attempt at a message (doubling for each later
        one), so a server that is down or throttling gets time to recover."""
        ...

    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to the server; returns once it accepted it. Raises ``MailError``."""
        ...
