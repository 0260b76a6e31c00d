"""SQL for email notifications."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.mail.models import EmailNotification


class MailRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, notification: EmailNotification) -> None:
        self.session.add(notification)
        await self.session.flush()

    async def get(self, notification_id: str) -> EmailNotification | None:
        return await self.session.get(EmailNotification, notification_id)

    async def get_for_update(self, notification_id: str) -> EmailNotification | None:
        stmt = select(EmailNotification).where(EmailNotification.id == notification_id).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_reference(self, workspace_id: str, kind: str, reference: str) -> Sequence[EmailNotification]:
        """The notifications sent about one object, oldest first."""
        stmt = (
            select(EmailNotification)
            .where(
                EmailNotification.workspace_id == workspace_id,
                EmailNotification.kind == kind,
                EmailNotification.reference == reference,
            )
            .order_by(EmailNotification.created_at, EmailNotification.id)
        )
        return (await self.session.execute(stmt)).scalars().all()
