"""Workspace webhook subscriptions on the listing surface (``/listing/api/webhooks``): the document's "Webhooks
Reference". The rules are ``domain.jobs.webhooks``'; deliveries are signed with the workspace's webhook secret,
which this surface never shows (GraphQL ``rotateWebhookSecret`` / ``viewer.workspace.webhookSecret`` do)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.jobs.models import CallbackAttempt, CallbackDelivery, WebhookSubscription
from domain.jobs.webhooks import (
    MANAGE_PERMISSION,
    MAX_DELIVERIES_SHOWN,
    READ_PERMISSION,
    WebhookCommand,
    WebhookService,
    render_id,
)
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import zulu
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["webhooks"])


class WebhookJson(TypedDict):
    id: str
    url: str
    events: list[str]
    creditsLowThreshold: int | None
    active: bool
    description: str | None
    created_at: str | None
    updated_at: str | None


class WebhookListJson(TypedDict):
    webhooks: list[WebhookJson]


class AttemptJson(TypedDict):
    attempt: int
    statusCode: int | None
    error: str | None
    durationMs: int
    created_at: str | None


class DeliveryJson(TypedDict):
    id: str
    type: str
    eventSeq: int
    status: str
    url: str
    created_at: str | None
    attempts: list[AttemptJson]


class DeliveryListJson(TypedDict):
    deliveries: list[DeliveryJson]


class DeliveriesQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=MAX_DELIVERIES_SHOWN, description="The latest this many.")


class WebhookPath(BaseModel):
    id: str = Field(description="wh_<uuid> (or the bare uuid).")


def webhook_json(subscription: WebhookSubscription) -> WebhookJson:
    return {
        "id": render_id(subscription),
        "url": subscription.url,
        "events": list(subscription.events),
        "creditsLowThreshold": subscription.credits_low_threshold,
        "active": subscription.active,
        "description": subscription.description,
        "created_at": zulu(subscription.created_at),
        "updated_at": zulu(subscription.updated_at),
    }


async def _allowed(call: Call, permission: str) -> None:
    """The listing surface's plan rule (free: 403 ``plan_required``) on top of the permission."""
    links = Links(call)
    await call.read(lambda s, p: links.service(s).check_access(p, permission))


@router.get("/webhooks", permission=READ_PERMISSION, response=WebhookListJson)
async def list_webhooks(call: Call) -> Response:
    """The workspace's webhook subscriptions, oldest first."""
    await _allowed(call, READ_PERMISSION)
    found = await call.read(lambda s, p: WebhookService(s).subscriptions(p))
    return JSONResponse(WebhookListJson(webhooks=[webhook_json(w) for w in found]))


@router.post(
    "/webhooks",
    permission=MANAGE_PERMISSION,
    status=201,
    response=WebhookJson,
    responses={409: "The workspace already has the most subscriptions allowed (`too_many_webhooks`)"},
)
async def create_webhook(call: Call, body: WebhookCommand) -> Response:
    """Subscribe a URL to events: job.completed, job.failed, credits.low (with creditsLowThreshold),
    credits.changed. Deliveries are signed the Standard Webhooks way with the workspace's webhook secret."""
    await _allowed(call, MANAGE_PERMISSION)
    created = await call.write(lambda uow, p: WebhookService(uow).create(p, body))
    return JSONResponse(webhook_json(created), status_code=201)


@router.get("/webhooks/{id}", permission=READ_PERMISSION, response=WebhookJson)
async def get_webhook(call: Call, path: WebhookPath) -> Response:
    """One subscription."""
    await _allowed(call, READ_PERMISSION)
    found = await call.read(lambda s, p: WebhookService(s).get(p, path.id))
    return JSONResponse(webhook_json(found))


@router.patch("/webhooks/{id}", permission=MANAGE_PERMISSION, response=WebhookJson)
async def update_webhook(call: Call, path: WebhookPath, body: WebhookCommand) -> Response:
    """Change the fields sent (url, events, creditsLowThreshold, active, description)."""
    await _allowed(call, MANAGE_PERMISSION)
    updated = await call.write(lambda uow, p: WebhookService(uow).update(p, path.id, body))
    return JSONResponse(webhook_json(updated))


@router.delete("/webhooks/{id}", permission=MANAGE_PERMISSION, status=204)
async def delete_webhook(call: Call, path: WebhookPath) -> Response:
    """Delete a subscription; what it had not delivered yet is not sent."""
    await _allowed(call, MANAGE_PERMISSION)
    await call.write(lambda uow, p: WebhookService(uow).delete(p, path.id))
    return Response(status_code=204)


@router.get("/webhooks/{id}/deliveries", permission=READ_PERMISSION, response=DeliveryListJson)
async def list_deliveries(call: Call, path: WebhookPath, query: DeliveriesQuery) -> Response:
    """The subscription's latest deliveries, newest first, each with every attempt; `id` is the `webhook-id`
    header receivers saw."""
    await _allowed(call, READ_PERMISSION)
    found = await call.read(lambda s, p: WebhookService(s).deliveries(p, path.id, query.limit))
    return JSONResponse(DeliveryListJson(deliveries=[_delivery_json(d, attempts) for d, attempts in found]))


def _delivery_json(delivery: CallbackDelivery, attempts: list[CallbackAttempt]) -> DeliveryJson:
    return {
        "id": str(delivery.id),
        "type": str(delivery.payload.get("type", "")),
        "eventSeq": delivery.event_seq,
        "status": delivery.status,
        "url": delivery.url,
        "created_at": zulu(delivery.created_at),
        "attempts": [
            {
                "attempt": a.attempt,
                "statusCode": a.status_code,
                "error": a.error,
                "durationMs": a.duration_ms,
                "created_at": zulu(a.created_at),
            }
            for a in attempts
        ],
    }
