from __future__ import annotations

from domain.jobs.models import Job
from domain.mail.models import EmailNotification
from domain.mail.repository import MailRepository
from domain.mail.service import MailService
from resolvers.context import AppServices
from tests.support.jobs import wait_for

HTML = "<p>New in <b>Summer picks</b>: Linen shirt, <b>$49.00</b></p><img src='https://shop.example/i/1.png'>"
TEXT = "New in Summer picks: Linen shirt, $49.00\nhttps://shop.example/i/1.png"


async def queue_mail(
    services: AppServices, workspace_id: str, *, to: str = "member@example.com", html: str | None = HTML
) -> EmailNotification:
    async with services.unit_of_work() as uow:
        return await MailService(uow).queue(
            workspace_id,
            kind="space.product_post",
            reference="content-1",
            to=to,
            subject="Linen shirt was posted in Summer picks",
            text=TEXT,
            html=html,
        )


async def load_notification(services: AppServices, notification_id: str) -> EmailNotification:
    async with services.read() as session:
        found = await MailRepository(session).get(notification_id)
        assert found is not None
        return found


async def finished(services: AppServices, notification: EmailNotification) -> Job:
    """The notification's mail.send job once it has ended."""
    assert notification.job_id is not None
    return await wait_for(services, notification.job_id, ("completed", "failed", "cancelled"))
