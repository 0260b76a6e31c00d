"""The mail.send job against a real SMTP server on loopback: delivery, retries while the server is unavailable,
immediate failure when it refuses for good, and the record of every attempt."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.errors import InvalidInput
from domain.jobs.models import Job
from domain.mail.models import EmailNotification
from domain.mail.service import MailService, mail_configured
from tests.mail.helpers import HTML, TEXT, finished, load_notification, queue_mail
from tests.support.factories import make_workspace
from tests.support.smtp import SENDER


async def test_a_queued_mail_is_delivered_with_headers_text_and_html(services, smtp):
    assert mail_configured(services.providers)
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id)
    assert queued.status == "queued" and queued.attempts == 0 and queued.job_id

    job = await finished(services, queued)
    assert job.status == "completed", job.error_message
    assert job.kind == "mail.send"
    assert job.result is not None
    row_sent_at = job.result["sentAt"]
    assert job.result == {
        "notificationId": queued.id,
        "to": "member@example.com",
        "status": "sent",
        "attempts": 1,
        "sentAt": row_sent_at,
    }

    [received] = smtp.received()
    assert received.rcpt_tos == ("member@example.com",)
    assert received.mail_from == "noreply@shop.example"
    message = received.message
    assert message["From"] == SENDER
    assert message["To"] == "member@example.com"
    assert message["Subject"] == "Linen shirt was posted in Summer picks"
    assert message["X-Shopwright-Notification"] == queued.id
    assert message["Message-ID"].endswith("@shop.example>")
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert received.part("text/plain").strip() == TEXT
    assert received.part("text/html").strip() == HTML

    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None and row.sent_at.isoformat() == job.result["sentAt"]


async def test_text_only_mail_is_a_single_part(services, smtp):
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id, html=None)
    job = await finished(services, queued)
    assert job.status == "completed", job.error_message
    [received] = smtp.received()
    assert received.message.get_content_type() == "text/plain"
    assert received.part("text/plain").strip() == TEXT


async def test_server_down_is_retried_then_failed_with_every_attempt_recorded(services, smtp):
    smtp.down()
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id)

    job = await finished(services, queued)
    assert job.status == "failed"
    assert (job.attempts, job.max_attempts) == (5, 5)
    assert job.error_code == "mail_unavailable"
    assert job.error_message is not None
    assert "Could not reach the mail server" in job.error_message
    assert "Gave up after 5 attempts" in job.error_message

    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts, row.sent_at) == ("failed", 5, None)
    assert row.last_error is not None and row.last_error.startswith("Could not reach the mail server")
    assert smtp.received() == []


async def test_a_4xx_reply_is_retried_and_the_mail_then_sent(services, smtp):
    smtp.fail_next(2, "451 4.3.0 Mailbox busy, try again later")
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id)

    job = await finished(services, queued)
    assert job.status == "completed", job.error_message
    assert job.attempts == 3
    assert len(smtp.received()) == 1
    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts) == ("sent", 3)
    # The failure before the success stays on the record.
    assert row.last_error == "The mail server answered 451 4.3.0 Mailbox busy, try again later"


@pytest.mark.parametrize(
    ("where", "reply", "error"),
    [
        ("data", "554 5.7.1 Message rejected as spam", "The mail server answered 554 5.7.1 Message rejected as spam"),
        ("rcpt", "550 5.1.1 No such user", "Recipient refused: member@example.com: 550 5.1.1 No such user"),
    ],
)
async def test_a_5xx_reply_fails_at_once(services, smtp, where, reply, error):
    setattr(smtp, f"{where}_reply", reply)
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id)

    job = await finished(services, queued)
    assert job.status == "failed"
    assert job.attempts == 1
    assert (job.error_code, job.error_message) == ("mail_rejected", error)
    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, error)


async def test_a_refused_recipient_with_a_4xx_reply_is_retried(services, smtp):
    smtp.rcpt_reply = "450 4.2.1 Greylisted, try again later"
    workspace = await make_workspace(services)
    queued = await queue_mail(services, workspace.workspace_id)
    job = await finished(services, queued)
    assert (job.status, job.attempts, job.error_code) == ("failed", 5, "mail_unavailable")
    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts) == ("failed", 5)
    assert row.last_error == "Recipient refused: member@example.com: 450 4.2.1 Greylisted, try again later"


async def test_wrong_credentials_fail_at_once_and_right_ones_authenticate(settings_factory, app_pool, smtp):
    from tests.support.smtp import mail_settings, mail_test_registry

    smtp.credentials = ("mailer", "s3cret")
    wrong = settings_factory(**mail_settings(smtp, smtp_username="mailer", smtp_password="nope"))
    right = settings_factory(**mail_settings(smtp, smtp_username="mailer", smtp_password="s3cret"))
    async with app_pool.use(wrong, mail_test_registry) as app:
        services = app.state.services
        workspace = await make_workspace(services)
        queued = await queue_mail(services, workspace.workspace_id)
        job = await finished(services, queued)
        assert (job.status, job.attempts, job.error_code) == ("failed", 1, "mail_rejected")
        assert (job.error_message or "").startswith("The mail server answered 535")
    async with app_pool.use(right, mail_test_registry) as app:
        services = app.state.services
        workspace = await make_workspace(services, name="Other")
        queued = await queue_mail(services, workspace.workspace_id)
        job = await finished(services, queued)
        assert job.status == "completed", job.error_message
    [received] = smtp.received()
    assert received.login == "mailer"


async def test_bad_address_or_subject_is_refused_and_nothing_is_written(services, smtp):
    workspace = await make_workspace(services)
    for to, subject, field in [
        ("not-an-address", "Hello", "to"),
        ("a@b.example\r\nBcc: x@evil.example", "Hello", "to"),
        ("member@example.com", "  \r\n ", "subject"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            async with services.unit_of_work() as uow:
                await MailService(uow).queue(
                    workspace.workspace_id, kind="k", reference=None, to=to, subject=subject, text="t"
                )
        assert [e.field for e in caught.value.field_errors] == [field]
    async with services.read() as session:
        assert await session.scalar(select(func.count()).select_from(EmailNotification)) == 0
        assert await session.scalar(select(func.count()).select_from(Job)) == 0


async def test_a_line_break_in_the_subject_cannot_add_headers(services, smtp):
    workspace = await make_workspace(services)
    async with services.unit_of_work() as uow:
        queued = await MailService(uow).queue(
            workspace.workspace_id,
            kind="k",
            reference=None,
            to="member@example.com",
            subject="Hi\r\nBcc: x@evil.example",
            text="t",
        )
    job = await finished(services, queued)
    assert job.status == "completed", job.error_message
    [received] = smtp.received()
    assert received.message["Subject"] == "Hi Bcc: x@evil.example"
    assert received.message["Bcc"] is None and received.rcpt_tos == ("member@example.com",)


async def test_nothing_is_queued_when_the_transaction_rolls_back(services, smtp):
    workspace = await make_workspace(services)
    with pytest.raises(RuntimeError):
        async with services.unit_of_work() as uow:
            await MailService(uow).queue(
                workspace.workspace_id, kind="k", reference=None, to="member@example.com", subject="s", text="t"
            )
            raise RuntimeError("the posting failed after queueing")
    async with services.read() as session:
        assert await session.scalar(select(func.count()).select_from(EmailNotification)) == 0
        assert await session.scalar(select(func.count()).select_from(Job)) == 0
    assert smtp.received() == []


async def test_a_deleted_notification_fails_its_job(services, smtp):
    workspace = await make_workspace(services)
    async with services.unit_of_work() as uow:
        queued = await MailService(uow).queue(
            workspace.workspace_id, kind="k", reference=None, to="member@example.com", subject="s", text="t"
        )
        await uow.session.delete(queued)
    job = await finished(services, queued)
    assert (job.status, job.error_code) == ("failed", "not_found")
    assert smtp.received() == []


async def test_a_worker_without_smtp_settings_fails_the_notification(settings_factory, app_pool, smtp):
    from tests.support.smtp import mail_test_registry

    async with app_pool.use(settings_factory(), mail_test_registry) as app:
        services = app.state.services
        assert not mail_configured(services.providers)
        workspace = await make_workspace(services)
        queued = await queue_mail(services, workspace.workspace_id)
        job = await finished(services, queued)
        assert (job.status, job.attempts, job.error_code) == ("failed", 1, "mail_not_configured")
        row = await load_notification(services, queued.id)
        assert row.status == "failed" and row.attempts == 1
        assert row.last_error == job.error_message
        assert "SHOPWRIGHT_SMTP_HOST" in (row.last_error or "")
    assert smtp.received() == []


@pytest.mark.parametrize(
    ("status", "outcome", "code"), [("sent", "completed", None), ("failed", "failed", "mail_failed")]
)
async def test_a_rerun_job_never_sends_a_decided_notification_again(services, smtp, status, outcome, code):
    # As when a worker recorded the outcome on the notification and was lost before recording the job's.
    workspace = await make_workspace(services)
    async with services.unit_of_work() as uow:
        queued = await MailService(uow).queue(
            workspace.workspace_id, kind="k", reference=None, to="member@example.com", subject="s", text="t"
        )
        queued.status, queued.attempts, queued.last_error = status, 1, "earlier"
    job = await finished(services, queued)
    assert (job.status, job.error_code) == (outcome, code)
    assert smtp.received() == []
    row = await load_notification(services, queued.id)
    assert (row.status, row.attempts) == (status, 1)
