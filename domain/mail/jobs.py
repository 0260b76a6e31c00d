"""The ``mail.send`` job: delivers one recorded notification through ``ctx.providers.mail``.

Every attempt is recorded on the notification (attempts, last error; status and ``sent_at`` once it is done).
A transient failure (server unreachable, timed out, a 4xx reply) raises ``RetryableJobError``, so the job is
queued again while it has attempts left and then fails; each retry first waits the mailer's backoff (doubling,
capped), holding its worker slot while it waits. A permanent failure (a 5xx reply, a refused recipient) fails the
job at once. Delivery is at least once: a worker lost between the server's acceptance and the commit of ``sent``
sends the message again on the next attempt.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.base import utcnow
from domain.errors import DomainError, NotFound
from domain.jobs.registry import JobContext, JobKind, RetryableJobError
from domain.jobs.repository import JobsRepository
from domain.mail.models import FAILED, QUEUED, SENT, EmailNotification
from domain.mail.ports import EmailMessage, Mailer, MailError
from domain.mail.repository import MailRepository

MAX_ATTEMPTS = 5
# No wait between attempts grows past this, whatever the backoff setting.
MAX_BACKOFF_SECONDS = 120.0


class MailNotConfigured(DomainError, status=503, code="mail_not_configured"):
    """The worker running the job has no mailer (the SMTP settings are missing there)."""


class MailRejected(DomainError, status=502, code="mail_rejected"):
    """The mail server refused the message for good."""


class MailSendParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notification_id: str


def backoff_seconds(base: float, attempt: int) -> float:
    """The wait before ``attempt`` (1-based): none before the first, then ``base``, doubling, capped."""
    if attempt <= 1 or base <= 0:
        return 0.0
    return float(min(MAX_BACKOFF_SECONDS, base * 2 ** (attempt - 2)))


def message_for(notification: EmailNotification) -> EmailMessage:
    return EmailMessage(
        to=notification.to_address,
        subject=notification.subject,
        text=notification.text_body,
        html=notification.html_body,
        # Lets a recipient's server (and the operator) tie the message to its record.
        headers={"X-Shopwright-Notification": notification.id},
    )


def _result(notification: EmailNotification) -> dict[str, Any]:
    return {
        "notificationId": notification.id,
        "to": notification.to_address,
        "status": notification.status,
        "attempts": notification.attempts,
        "sentAt": notification.sent_at.isoformat() if notification.sent_at else None,
    }


async def _load(ctx: JobContext[MailSendParams]) -> tuple[EmailNotification, int]:
    """The notification (detached) and the job's attempt limit."""
    async with ctx.unit_of_work() as uow:
        notification = await MailRepository(uow.session).get(ctx.params.notification_id)
        job = await JobsRepository(uow.session).get(ctx.job_id)
    if notification is None or notification.workspace_id != ctx.workspace_id:
        raise NotFound("The email notification no longer exists.")
    return notification, job.max_attempts if job is not None else MAX_ATTEMPTS


async def _record(ctx: JobContext[MailSendParams], status: str, error: str | None = None) -> EmailNotification:
    """Counts the attempt and records its outcome, in a transaction of its own (committed before the job's)."""
    async with ctx.unit_of_work() as uow:
        notification = await MailRepository(uow.session).get_for_update(ctx.params.notification_id)
        if notification is None:
            raise NotFound("The email notification no longer exists.")
        notification.attempts += 1
        notification.status = status
        if error is not None:
            notification.last_error = error
        if status == SENT:
            notification.sent_at = utcnow()
        return notification


async def send_mail(ctx: JobContext[MailSendParams]) -> dict[str, Any]:
    notification, max_attempts = await _load(ctx)
    # An earlier attempt decided it, and its job outcome was lost with its worker: never send twice, never
    # send what already failed for good.
    if notification.status == SENT:
        return _result(notification)
    if notification.status == FAILED:
        raise DomainError(f"The notification had already failed: {notification.last_error}", code="mail_failed")
    mailer: Mailer | None = getattr(ctx.providers, "mail", None)
    if mailer is None:
        message = "Email is not configured on this worker (set SHOPWRIGHT_SMTP_HOST and SHOPWRIGHT_SMTP_FROM)."
        await _record(ctx, FAILED, message)
        raise MailNotConfigured(message)
    wait = backoff_seconds(mailer.retry_backoff_seconds, ctx.attempt)
    if wait:
        await ctx.progress(0.0, f"Waiting {wait:g} s before attempt {ctx.attempt} ({notification.last_error})")
        await asyncio.sleep(wait)
    try:
        await mailer.send(message_for(notification))
    except MailError as exc:
        last = ctx.attempt >= max_attempts
        if not exc.transient:
            await _record(ctx, FAILED, exc.message)
            raise MailRejected(exc.message) from exc
        await _record(ctx, FAILED if last else QUEUED, exc.message)
        raise RetryableJobError(exc.message, code="mail_unavailable") from exc
    return _result(await _record(ctx, SENT))


MAIL_SEND = JobKind(
    name="mail.send",
    params=MailSendParams,
    handler=send_mail,
    description="Sends one recorded email notification, retrying while the mail server is unavailable.",
    max_attempts=MAX_ATTEMPTS,
)

MAIL_KINDS = (MAIL_SEND,)
