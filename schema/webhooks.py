"""Workspace webhook subscriptions: the node type, the list, and create, update and delete.

Deliveries are signed with the workspace's webhook secret (``rotateWebhookSecret``); see docs/webhooks.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry

from domain.jobs.models import WebhookSubscription as SubscriptionModel
from domain.jobs.webhooks import MANAGE_PERMISSION, WebhookCommand, WebhookService, render_id
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.jobs import CallbackAttempt
from schema.payloads import DeletePayload
from schema.relay import Connection, Node, list_connection, raw_id_for, to_global_id
from schema.types import Info

TYPE_NAME = "WebhookSubscription"


@strawberry.enum(description="What a webhook subscription can receive.")
class WebhookEvent(Enum):
    JOB_COMPLETED = "job.completed"
    JOB_FAILED = "job.failed"
    CREDITS_LOW = "credits.low"
    CREDITS_CHANGED = "credits.changed"


@strawberry.type(description="One event sent to a subscription: the webhook-id receivers see is deliveryId.")
class WebhookDelivery:
    delivery_id: int
    event_seq: int
    type: WebhookEvent
    status: str = strawberry.field(description="pending, delivered or failed (given up).")
    url: str
    created_at: datetime
    attempts: list[CallbackAttempt]


@strawberry.type(description="A URL that receives the workspace's events it subscribed to, signed and retried.")
class WebhookSubscription(Node, FromModel):
    subscription_id: str = strawberry.field(description="The id the listing REST surface uses (wh_<uuid>).")
    url: str
    events: list[WebhookEvent]
    credits_low_threshold: int | None = strawberry.field(
        description="credits.low fires when the balance drops from at or above this to below it."
    )
    active: bool
    description: str | None
    created_at: datetime
    updated_at: datetime
    id_raw: strawberry.Private[str]

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: WebhookService(s).get(p, raw_id)))

    @strawberry.field(description="Its latest deliveries, newest first, each with every attempt (at most 100).")
    async def deliveries(self, info: Info, limit: int = 20) -> list[WebhookDelivery]:
        raw = self.id_raw
        found = await info.context.read(lambda s, p: WebhookService(s).deliveries(p, raw, limit))
        return [
            WebhookDelivery(
                delivery_id=delivery.id,
                event_seq=delivery.event_seq,
                type=WebhookEvent(delivery.payload["type"]),
                status=delivery.status,
                url=delivery.url,
                created_at=delivery.created_at,
                attempts=[CallbackAttempt.from_model(a) for a in attempts],
            )
            for delivery, attempts in found
        ]

    @classmethod
    def from_model(cls, model: SubscriptionModel) -> Self:
        return cls.build(
            model, subscription_id=render_id(model), events=[WebhookEvent(e) for e in model.events], id_raw=model.id
        )


def subscription_arg(value: str) -> str:
    """A subscription's global id, or its ``wh_<uuid>`` id."""
    return raw_id_for(TYPE_NAME, value)


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str
    events: list[WebhookEvent]
    credits_low_threshold: int | None = strawberry.field(default=None, description="Required with CREDITS_LOW.")
    active: bool = True
    description: str | None = None


@strawberry.input(description="Only the fields given change; null clears creditsLowThreshold or description.")
class UpdateWebhookSubscriptionInput:
    url: str | None = strawberry.UNSET
    events: list[WebhookEvent] | None = strawberry.UNSET
    credits_low_threshold: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


def _body(input: CreateWebhookSubscriptionInput | UpdateWebhookSubscriptionInput) -> dict[str, Any]:
    """The input as the REST body (what ``WebhookCommand`` parses), with only the fields given."""
    values = {
        "url": input.url,
        "events": [e.value for e in input.events] if isinstance(input.events, list) else input.events,
        "creditsLowThreshold": input.credits_low_threshold,
        "active": input.active,
        "description": input.description,
    }
    return {k: v for k, v in values.items() if v is not strawberry.UNSET}


@strawberry.type
class WebhookSubscriptionPayload(Payload):
    webhook_subscription: WebhookSubscription | None = None


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="The workspace's webhook subscriptions, oldest first (at most 20).")
    async def webhook_subscriptions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[WebhookSubscription]:
        return await list_connection(info, WebhookService, WebhookSubscription.from_models, _NoFilter(), first, after)

    @strawberry.field(description="One webhook subscription by its global id or wh_<uuid> id.")
    async def webhook_subscription(self, info: Info, id: strawberry.ID) -> WebhookSubscription:
        return await WebhookSubscription.resolve_node(info, subscription_arg(id))


class _NoFilter:
    def domain(self) -> None:
        return None


@strawberry.type
class WebhookMutation:
    @payload_mutation(description="Subscribe a URL to workspace events (signed with the workspace's webhook secret).")
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> WebhookSubscriptionPayload:
        await info.context.require(MANAGE_PERMISSION)  # before the input: no permission, no userErrors
        command = parse_now(WebhookCommand, _body(input))
        created = await info.context.write(lambda uow, p: WebhookService(uow).create(p, command))
        return WebhookSubscriptionPayload(webhook_subscription=WebhookSubscription.from_model(created))

    @payload_mutation(description="Change a webhook subscription's fields given.")
    async def update_webhook_subscription(
        self, info: Info, id: strawberry.ID, input: UpdateWebhookSubscriptionInput
    ) -> WebhookSubscriptionPayload:
        await info.context.require(MANAGE_PERMISSION)
        command = parse_now(WebhookCommand, _body(input), partial=True)
        raw = subscription_arg(id)
        updated = await info.context.write(lambda uow, p: WebhookService(uow).update(p, raw, command))
        return WebhookSubscriptionPayload(webhook_subscription=WebhookSubscription.from_model(updated))

    @payload_mutation(description="Delete a webhook subscription; what it had not delivered yet is not sent.")
    async def delete_webhook_subscription(self, info: Info, id: strawberry.ID) -> DeletePayload:
        raw = subscription_arg(id)
        deleted = await info.context.write(lambda uow, p: WebhookService(uow).delete(p, raw))
        return DeletePayload(deleted_id=to_global_id(TYPE_NAME, deleted.id))
