"""Queueing email notifications: the record and its ``mail.send`` job, written in the caller's transaction."""

from __future__ import annotations

from domain.accounts.principal import Principal
from domain.accounts.service import EMAIL_RE
from domain.ai.ports import ProviderSet
from domain.db import UnitOfWork
from domain.errors import InvalidInput
from domain.jobs.service import JobService
from domain.mail.jobs import MAIL_SEND, MailSendParams
from domain.mail.models import QUEUED, EmailNotification
from domain.mail.repository import MailRepository

ADDRESS_MAX = 320
SUBJECT_MAX = 998  # RFC 5322's line limit


def mail_configured(providers: ProviderSet | None) -> bool:
    """Whether a mailer is configured (``providers``: ``AppServices.providers`` or a job's ``ctx.providers``)."""
    return providers is not None and providers.mail is not None


def _address(to: str) -> str:
    value = to.strip()
    if not EMAIL_RE.match(value) or len(value) > ADDRESS_MAX:
        raise InvalidInput.field("to", f"Must be a valid email address of at most {ADDRESS_MAX} characters.")
    return value


def _subject(subject: str) -> str:
    # A line break would end the header and let the rest be read as headers of their own.
    value = " ".join(subject.split())
    if not value or len(value) > SUBJECT_MAX:
        raise InvalidInput.field("subject", f"Must be 1 to {SUBJECT_MAX} characters.")
    return value


class MailService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = MailRepository(uow.session)

    async def queue(
        self,
        workspace_id: str,
        *,
        kind: str,
        reference: str | None,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
    ) -> EmailNotification:
        """Record a queued notification and create the job that sends it, in the caller's transaction (nothing is
        sent unless it commits). ``kind`` names what it notifies of (``space.product_post``); ``reference`` the
        object (a content id). Raises ``InvalidInput`` (field ``to`` or ``subject``) before writing anything."""
        notification = EmailNotification(
            workspace_id=workspace_id,
            kind=kind,
            reference=reference,
            to_address=_address(to),
            subject=_subject(subject),
            text_body=text,
            html_body=html,
            status=QUEUED,
            attempts=0,
        )
        await self.repo.add(notification)
        # The job is the system's, not a caller's: no user or API key, and no permission is checked.
        system = Principal(workspace_id=workspace_id, permissions=frozenset())
        job = await JobService(self.uow).create(
            system, kind=MAIL_SEND, params=MailSendParams(notification_id=notification.id), message="Email queued"
        )
        notification.job_id = job.id
        return notification
