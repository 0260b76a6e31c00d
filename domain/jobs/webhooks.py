"""Workspace webhooks: subscriptions to events of the whole workspace, delivered like job callbacks.

A subscription names a URL and the events it wants (``EVENTS``). ``emit`` writes one delivery row per
matching active subscription, in the caller's transaction, and puts it in the unit of work's outbox: the
callback sender (``workers.webhooks``) then POSTs it once committed — signed the Standard Webhooks way with
the workspace's webhook secret, retried with backoff, every attempt recorded. A subscription is a line of
its own: its deliveries go out in the order they were emitted (``event_seq``, handed out under a row lock
on the subscription, so two transactions never take the same number and a later one waits for the earlier
one to commit).

Payloads are Standard Webhooks style: ``{"type": "job.completed", "timestamp": "...", "data": {...}}``.
``credits.low`` is decided per subscription: it fires when a balance change crosses from at or above the
subscription's threshold to below it, once per crossing.

The table is ``domain.jobs.models.WebhookSubscription``, beside ``callback_deliveries`` which refers to it.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StrictBool
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.base import new_uuid, utcnow
from domain.db import UnitOfWork
from domain.errors import Conflict, InvalidInput, NotFound, Problems
from domain.jobs.callbacks import validate_callback_url
from domain.jobs.models import (
    COMPLETED,
    DELIVERY_PENDING,
    FAILED,
    CallbackAttempt,
    CallbackDelivery,
    Job,
    WebhookSubscription,
)
from domain.jobs.repository import JobsRepository
from domain.jobs.webhook_repository import WebhookRepository
from domain.paging import Page, PageRequest
from domain.validation import REQUIRED, Command, NotNull, Present, Str, StrictInt32

JOB_COMPLETED = "job.completed"
JOB_FAILED = "job.failed"
CREDITS_LOW = "credits.low"
CREDITS_CHANGED = "credits.changed"
EVENTS = (JOB_COMPLETED, JOB_FAILED, CREDITS_LOW, CREDITS_CHANGED)
CREDIT_EVENTS = frozenset({CREDITS_LOW, CREDITS_CHANGED})

MAX_SUBSCRIPTIONS = 20  # per workspace: each event fans out to every matching one inside its transaction
MAX_DELIVERIES_SHOWN = 100
ID_PREFIX = "wh_"
READ_PERMISSION = "jobs.jobs.read"
MANAGE_PERMISSION = "jobs.jobs.manage"


class WebhookCommand(Command):
    """A subscription to create (``url`` and ``events`` required) or the fields of one to change."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    url: Annotated[Str | None, REQUIRED, Present, Field(description="Where to POST the events (http or https).")] = None
    events: Annotated[
        list[Str] | None,
        REQUIRED,
        NotNull,
        Field(description=f"The events to receive, at least one of: {', '.join(EVENTS)}."),
    ] = None
    credits_low_threshold: Annotated[
        StrictInt32 | None,
        Field(
            alias="creditsLowThreshold",
            description="`credits.low` fires when the balance drops from at or above this to below it "
            "(required with `credits.low`).",
        ),
    ] = None
    active: Annotated[StrictBool | None, NotNull, Field(description="Inactive ones receive nothing.")] = None
    description: Annotated[Str | None, Field(max_length=255, description="A note for people.")] = None


def subscription_id(value: str) -> str:
    """The stored id of ``wh_<uuid>`` (or the bare uuid); a malformed id names nothing."""
    try:
        return str(uuid.UUID(value.removeprefix(ID_PREFIX)))
    except (ValueError, AttributeError):
        raise NotFound("Webhook subscription not found.") from None


def render_id(subscription: WebhookSubscription) -> str:
    return ID_PREFIX + subscription.id


class WebhookService:
    def __init__(self, uow_or_session: UnitOfWork | AsyncSession) -> None:
        session = uow_or_session.session if isinstance(uow_or_session, UnitOfWork) else uow_or_session
        self.repo = WebhookRepository(session)

    async def subscriptions(self, principal: Principal) -> list[WebhookSubscription]:
        principal.require(READ_PERMISSION)
        return await self.repo.of_workspace(principal.workspace_id)

    async def page(self, principal: Principal, _filter: object, request: PageRequest) -> Page[WebhookSubscription]:
        """A page of ``subscriptions`` (there are at most ``MAX_SUBSCRIPTIONS``: they are read whole)."""
        found = await self.subscriptions(principal)
        return Page.of(found[request.offset : request.offset + request.limit], len(found), request)

    async def get(self, principal: Principal, sub_id: str) -> WebhookSubscription:
        principal.require(READ_PERMISSION)
        return await self._get(principal, sub_id)

    async def create(self, principal: Principal, command: WebhookCommand) -> WebhookSubscription:
        principal.require(MANAGE_PERMISSION)
        now = utcnow()
        subscription = WebhookSubscription(
            id=new_uuid(),
            workspace_id=principal.workspace_id,
            url=command.url or "",
            events=command.events or [],
            credits_low_threshold=command.credits_low_threshold,
            active=True if command.active is None else command.active,
            description=command.description,
            last_seq=0,
            created_at=now,
            updated_at=now,
        )
        _check(subscription)
        # Counted under a lock on the workspace's row, so racing creates cannot both take the last place.
        if await AccountsRepository(self.repo.session).get_workspace_for_update(principal.workspace_id) is None:
            raise NotFound("Workspace not found.")
        if await self.repo.count(principal.workspace_id) >= MAX_SUBSCRIPTIONS:
            raise Conflict(
                f"A workspace may have at most {MAX_SUBSCRIPTIONS} webhook subscriptions; delete one first.",
                code="too_many_webhooks",
            )
        await self.repo.insert(subscription)
        return subscription

    async def update(self, principal: Principal, sub_id: str, command: WebhookCommand) -> WebhookSubscription:
        """Change the fields sent (``command`` parsed as partial); the result is checked as a whole."""
        principal.require(MANAGE_PERMISSION)
        subscription = await self._get(principal, sub_id, for_update=True)
        for name, value in command.sent().items():
            setattr(subscription, name, value)
        _check(subscription)
        subscription.updated_at = utcnow()
        await self.repo.flush()
        return subscription

    async def delete(self, principal: Principal, sub_id: str) -> WebhookSubscription:
        """Delete it, with its deliveries still pending (they are not sent) and the record of past ones."""
        principal.require(MANAGE_PERMISSION)
        subscription = await self._get(principal, sub_id, for_update=True)
        await self.repo.delete(subscription)
        return subscription

    async def deliveries(
        self, principal: Principal, sub_id: str, limit: int = MAX_DELIVERIES_SHOWN
    ) -> list[tuple[CallbackDelivery, list[CallbackAttempt]]]:
        """Its latest deliveries, newest first, each with its attempts (the record of what was sent)."""
        principal.require(READ_PERMISSION)
        if not 1 <= limit <= MAX_DELIVERIES_SHOWN:
            raise InvalidInput.field(
                "limit",
                f"Between 1 and {MAX_DELIVERIES_SHOWN}.",
                rule="between",
                params={"min": 1, "max": MAX_DELIVERIES_SHOWN},
            )
        subscription = await self._get(principal, sub_id)
        deliveries = await self.repo.deliveries(subscription.id, limit)
        attempts = (
            await JobsRepository(self.repo.session).attempts_for([d.id for d in deliveries]) if deliveries else []
        )
        by_delivery: dict[int, list[CallbackAttempt]] = {}
        for attempt in attempts:
            by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
        return [(d, by_delivery.get(d.id, [])) for d in deliveries]

    async def _get(self, principal: Principal, sub_id: str, *, for_update: bool = False) -> WebhookSubscription:
        found = await self.repo.get(principal.workspace_id, subscription_id(sub_id), for_update=for_update)
        if found is None:
            raise NotFound("Webhook subscription not found.")
        return found


def _check(subscription: WebhookSubscription) -> None:
    """Every problem of a subscription's fields at once (``InvalidInput``); normalises url and events."""
    problems = Problems()
    try:
        subscription.url = validate_callback_url(subscription.url, field="url")
    except InvalidInput as exc:  # reported with the others
        problems.extend(exc.field_errors)
    events = list(dict.fromkeys(subscription.events))
    unknown = [e for e in events if e not in EVENTS]
    if not events:
        problems.add("events", "min_items", "Choose at least one event.", {"min": 1})
    elif unknown:
        problems.add(
            "events",
            "in",
            f"Unknown event {unknown[0]!r}: use {', '.join(EVENTS)}.",
            {"values": list(EVENTS)},
        )
    subscription.events = events
    threshold = subscription.credits_low_threshold
    if threshold is not None and threshold < 0:
        problems.add("creditsLowThreshold", "min", "The threshold must be 0 or more.", {"min": 0})
    elif threshold is None and CREDITS_LOW in events:
        problems.add("creditsLowThreshold", "required", "`credits.low` needs a threshold (creditsLowThreshold).")
    problems.raise_if_any()


# --- emitting ---------------------------------------------------------------------------------------------


def job_data(job: Job) -> dict[str, Any]:
    """What ``job.completed`` / ``job.failed`` carry: the job as the listing surface's job status has it."""
    return {
        "id": f"job_{job.id}",
        "kind": job.kind,
        "status": job.status,
        "result": job.result if job.status == COMPLETED else None,
        "error": {"code": job.error_code, "message": job.error_message} if job.status == FAILED else None,
        "external_tracking_id": job.external_tracking_id,
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


async def job_ended(uow: UnitOfWork, job: Job) -> None:
    """``job.completed`` or ``job.failed`` for a job that just ended (a cancelled job emits nothing)."""
    event = {COMPLETED: JOB_COMPLETED, FAILED: JOB_FAILED}.get(job.status)
    if event is not None:
        await emit(uow, job.workspace_id, event, job_data(job))


def _crossed_below(threshold: int | None, data: dict[str, Any]) -> bool:
    before, after = data.get("balance_before"), data.get("balance")
    if threshold is None or not isinstance(before, int) or not isinstance(after, int):
        return False
    return before >= threshold > after


def _chosen(subscription: WebhookSubscription, event: str, data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The events (type, data) ``event`` sends to ``subscription``."""
    chosen = []
    if event != CREDITS_LOW and event in subscription.events:
        chosen.append((event, data))
    threshold = subscription.credits_low_threshold
    if event in CREDIT_EVENTS and CREDITS_LOW in subscription.events and _crossed_below(threshold, data):
        chosen.append((CREDITS_LOW, {**data, "threshold": threshold}))
    return chosen


async def emit(uow: UnitOfWork, workspace_id: str, event: str, data: dict[str, Any]) -> None:
    """Deliver ``event`` to every active subscription of the workspace that wants it, after commit.

    A balance change (``credits.changed`` or ``credits.low``, with ``data["balance_before"]`` and
    ``data["balance"]``) also reaches the ``credits.low`` subscribers whose threshold it crossed downwards,
    with their ``threshold`` in the data: the caller emits ``credits.changed`` for every change and need
    not work out thresholds. Emitting ``credits.low`` itself reaches only those subscribers."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    repo = WebhookRepository(uow.session)
    # Read without a lock, then lock only those that may want it and decide again from what is locked (a
    # subscription changed in between is judged as it now stands).
    candidates = [s.id for s in await repo.active(workspace_id) if _chosen(s, event, data)]
    if not candidates:
        return
    now = utcnow()
    deliveries = []
    for subscription in await repo.lock_in_order(candidates):
        for name, payload_data in _chosen(subscription, event, data) if subscription.active else []:
            subscription.last_seq += 1
            delivery = CallbackDelivery(
                job_id=None,
                subscription_id=subscription.id,
                workspace_id=workspace_id,
                event_seq=subscription.last_seq,
                url=subscription.url,
                payload={"type": name, "timestamp": now.isoformat(), "data": payload_data},
                status=DELIVERY_PENDING,
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            repo.add(delivery)
            deliveries.append(delivery)
    await repo.flush()
    uow.outbox.deliveries.extend(d.id for d in deliveries)
