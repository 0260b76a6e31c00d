"""All SQL for workspace webhook subscriptions and the deliveries they own (``domain.jobs.webhooks``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from domain.jobs.models import CallbackDelivery, WebhookSubscription
from domain.repository import Repository


class WebhookRepository(Repository):
    async def deliveries(self, sub_id: str, limit: int) -> list[CallbackDelivery]:
        stmt = (
            select(CallbackDelivery)
            .where(CallbackDelivery.subscription_id == sub_id)
            .order_by(CallbackDelivery.event_seq.desc())
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def of_workspace(self, workspace_id: str) -> list[WebhookSubscription]:
        stmt = (
            select(WebhookSubscription)
            .where(WebhookSubscription.workspace_id == workspace_id)
            .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, workspace_id: str, sub_id: str, *, for_update: bool = False) -> WebhookSubscription | None:
        stmt = select(WebhookSubscription).where(
            WebhookSubscription.workspace_id == workspace_id, WebhookSubscription.id == sub_id
        )
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def count(self, workspace_id: str) -> int:
        stmt = (
            select(func.count())
            .select_from(WebhookSubscription)
            .where(WebhookSubscription.workspace_id == workspace_id)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def active(self, workspace_id: str) -> list[WebhookSubscription]:
        stmt = select(WebhookSubscription).where(
            WebhookSubscription.workspace_id == workspace_id, WebhookSubscription.active.is_(True)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def lock_in_order(self, ids: Sequence[str]) -> list[WebhookSubscription]:
        """The subscriptions, locked until the transaction ends, always in id order (so two transactions that
        emit to the same ones cannot deadlock), with their current ``last_seq``."""
        stmt = (
            select(WebhookSubscription)
            .where(self.one_of(WebhookSubscription.id, ids))
            .order_by(WebhookSubscription.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return list((await self.session.execute(stmt)).scalars())
