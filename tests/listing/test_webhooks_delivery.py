"""Workspace webhooks are delivered by the callback machinery: Standard Webhooks payloads and signatures, retried
and recorded, in order per subscription; job.completed / job.failed from every job's end, credits.low once per
crossing of a subscription's threshold, credits.changed on every balance change."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from domain.accounts.credits import DEBIT, GRANT, CreditsService, LedgerNote
from domain.base import utcnow
from domain.db import NullDispatcher
from domain.jobs.models import CallbackAttempt, CallbackDelivery
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService
from domain.jobs.webhooks import emit
from tests.listing.helpers import API, credits
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import create_job
from tests.support.graphql import gql
from tests.support.jobs import wait_for

HOOKS = f"{API}/webhooks"


@pytest.fixture
async def receiver_factory():
    async with contextlib.AsyncExitStack() as stack:

        async def make(fail_first: int = 0):
            return await stack.enter_async_context(receiving(fail_first))

        yield make


async def _subscribe(client, ws, url, events, **extra):
    response = await client.post(HOOKS, json={"url": url, "events": events, **extra}, headers=ws.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def _subscription_deliveries(services, workspace_id):
    async with services.read() as session:
        rows = await session.execute(
            select(CallbackDelivery)
            .where(CallbackDelivery.workspace_id == workspace_id, CallbackDelivery.subscription_id.is_not(None))
            .order_by(CallbackDelivery.id)
        )
        return list(rows.scalars())


async def _settle(app):
    await app.state.runtime.queue.drain()


async def _balance(client, ws):
    return (await credits(client, ws))["creditsRemaining"]


async def _change(services, ws, amount):
    """Debit (amount > 0) or grant (amount < 0) credits, as a paid request or a top-up would."""
    async with services.unit_of_work() as uow:
        ledger = CreditsService(uow, services.plans)
        if amount > 0:
            await ledger.debit(ws.workspace_id, amount, LedgerNote(DEBIT, reference="test"))
        else:
            await ledger.grant_topup(ws.workspace_id, -amount, LedgerNote(GRANT, reference="test"))


async def test_job_completed_and_failed_reach_the_subscriber_signed(app, client, services, pro, receiver_factory):
    receiver = await receiver_factory()
    subscription = await _subscribe(client, pro, receiver.url, ["job.completed", "job.failed"])
    done = await create_job(services, pro, params={"steps": 2}, external_tracking_id="order-7")
    await wait_for(services, done, {"completed"})
    failed = await create_job(services, pro, params={"steps": 2, "fail_at": 1})
    await wait_for(services, failed, {"failed"})
    await _settle(app)

    bodies = await signed_bodies(services, pro, receiver)  # every signature checked, Standard Webhooks and legacy
    assert [b["type"] for b in bodies] == ["job.completed", "job.failed"]
    completed, failure = (b["data"] for b in bodies)
    assert completed["id"] == f"job_{done}" and completed["status"] == "completed"
    assert completed["kind"] == "test.steps" and completed["external_tracking_id"] == "order-7"
    assert completed["result"] == {"steps": 2, "attempt": 1} and completed["error"] is None
    assert failure["id"] == f"job_{failed}" and failure["status"] == "failed"
    assert failure["error"]["code"] == "step_failed" and failure["result"] is None
    assert all(set(b) == {"type", "timestamp", "data"} for b in bodies)

    headers = [h for h, _ in receiver.requests]
    assert [h["x-shopwright-event"] for h in headers] == ["job.completed", "job.failed"]
    deliveries = await _subscription_deliveries(services, pro.workspace_id)
    assert [h["webhook-id"] for h in headers] == [str(d.id) for d in deliveries]
    assert [(d.event_seq, d.status, d.job_id) for d in deliveries] == [(1, "delivered", None), (2, "delivered", None)]
    assert {d.subscription_id for d in deliveries} == {subscription["id"].removeprefix("wh_")}


async def test_only_chosen_events_of_active_subscriptions_of_the_workspace_are_sent(
    app, client, services, pro, pro_b, receiver_factory
):
    completed_only = await receiver_factory()
    failed_only = await receiver_factory()
    inactive = await receiver_factory()
    other_workspace = await receiver_factory()
    await _subscribe(client, pro, completed_only.url, ["job.completed"])
    await _subscribe(client, pro, failed_only.url, ["job.failed"])
    await _subscribe(client, pro, inactive.url, ["job.completed", "job.failed"], active=False)
    await _subscribe(client, pro_b, other_workspace.url, ["job.completed", "job.failed"])
    job_id = await create_job(services, pro, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    await _settle(app)
    assert [b["type"] for b in await signed_bodies(services, pro, completed_only)] == ["job.completed"]
    assert failed_only.requests == inactive.requests == other_workspace.requests == []


async def test_a_cancelled_job_sends_nothing(app, client, services, pro, receiver_factory, held_jobs):
    receiver = await receiver_factory()
    await _subscribe(client, pro, receiver.url, ["job.completed", "job.failed"])
    job_id = await create_job(services, pro, params={"steps": 1})
    async with services.unit_of_work() as uow:
        await JobService(uow).cancel(pro.principal, job_id)
    await _settle(app)
    assert receiver.requests == []
    assert await _subscription_deliveries(services, pro.workspace_id) == []


async def test_a_failing_receiver_is_retried_and_later_events_wait_their_turn(
    app, client, services, pro, receiver_factory
):
    receiver = await receiver_factory(fail_first=2)
    subscription = await _subscribe(client, pro, receiver.url, ["credits.changed"])
    for amount in (3, 4, 5):
        await _change(services, pro, amount)
    await _settle(app)
    sent = [json.loads(raw)["data"] for _, raw in receiver.requests]
    got = [data["balance_before"] - data["balance"] for data in sent]
    assert got == [3, 3, 3, 4, 5]  # the first refused twice, then each in the order emitted
    deliveries = await _subscription_deliveries(services, pro.workspace_id)
    assert [(d.event_seq, d.status, d.attempts) for d in deliveries] == [
        (1, "delivered", 3),
        (2, "delivered", 1),
        (3, "delivered", 1),
    ]
    async with services.read() as session:
        attempts = (
            await session.execute(
                select(CallbackAttempt.status_code)
                .where(CallbackAttempt.delivery_id == deliveries[0].id)
                .order_by(CallbackAttempt.attempt)
            )
        ).all()
    assert [a[0] for a in attempts] == [500, 500, 200]  # every attempt recorded

    # The record, as the listing surface and GraphQL show it: newest first, ids as the receiver's webhook-id.
    listed = await client.get(f"{HOOKS}/{subscription['id']}/deliveries?limit=2", headers=pro.headers())
    assert listed.status_code == 200, listed.text
    shown = listed.json()["deliveries"]
    assert [(d["eventSeq"], d["type"], d["status"]) for d in shown] == [
        (3, "credits.changed", "delivered"),
        (2, "credits.changed", "delivered"),
    ]
    assert shown[0]["id"] == receiver.requests[-1][0]["webhook-id"]
    oldest = (await client.get(f"{HOOKS}/{subscription['id']}/deliveries", headers=pro.headers())).json()
    assert [a["statusCode"] for a in oldest["deliveries"][-1]["attempts"]] == [500, 500, 200]
    refused = await client.get(f"{HOOKS}/{subscription['id']}/deliveries?limit=0", headers=pro.headers())
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"limit"}
    query = """query ($id: ID!) { webhookSubscription(id: $id) {
      deliveries(limit: 1) { deliveryId eventSeq type status attempts { attempt statusCode } } } }"""
    _, body = await gql(client, query, {"id": subscription["id"]}, token=pro.api_key)
    assert body["data"]["webhookSubscription"]["deliveries"] == [
        {
            "deliveryId": deliveries[2].id,
            "eventSeq": 3,
            "type": "CREDITS_CHANGED",
            "status": "delivered",
            "attempts": [{"attempt": 1, "statusCode": 200}],
        }
    ]


async def test_credits_low_fires_once_per_crossing_below_the_threshold(app, client, services, pro, receiver_factory):
    receiver = await receiver_factory()
    start = await _balance(client, pro)
    assert start > 20
    threshold = start - 5
    await _subscribe(client, pro, receiver.url, ["credits.low"], creditsLowThreshold=threshold)
    await _change(services, pro, 3)  # start - 3: still at or above
    await _change(services, pro, 3)  # start - 6: crossed
    await _change(services, pro, 3)  # start - 9: already below
    await _change(services, pro, -10)  # start + 1: back above (a top-up)
    await _change(services, pro, 6)  # start - 5: exactly the threshold, not below
    await _change(services, pro, 1)  # start - 6: crossed again
    await _settle(app)
    bodies = await signed_bodies(services, pro, receiver)
    assert [b["type"] for b in bodies] == ["credits.low", "credits.low"]
    assert [(b["data"]["balance_before"], b["data"]["balance"]) for b in bodies] == [
        (start - 3, start - 6),
        (start - 5, start - 6),
    ]
    assert {b["data"]["threshold"] for b in bodies} == {threshold}


async def test_credits_changed_reports_every_balance_change(app, client, services, pro, receiver_factory):
    receiver = await receiver_factory()
    await _subscribe(client, pro, receiver.url, ["credits.changed", "credits.low"], creditsLowThreshold=0)
    start = await _balance(client, pro)
    await _change(services, pro, 2)
    await _change(services, pro, -7)
    await _settle(app)
    bodies = await signed_bodies(services, pro, receiver)
    assert [b["type"] for b in bodies] == ["credits.changed", "credits.changed"]
    assert [(b["data"]["balance_before"], b["data"]["balance"]) for b in bodies] == [
        (start, start - 2),
        (start - 2, start + 5),
    ]
    assert [b["data"]["reason"] for b in bodies] == ["debit", "grant"]


async def test_deleting_a_subscription_drops_what_it_had_not_sent(app, client, services, pro, held_jobs):
    # An address nobody listens on: its deliveries stay pending (retrying) until the subscription goes.
    subscription = await _subscribe(client, pro, "http://127.0.0.1:9/hook", ["credits.changed"])
    async with services.unit_of_work() as uow:
        await emit(uow, pro.workspace_id, "credits.changed", {"balance_before": 5, "balance": 4})
    assert len(await _subscription_deliveries(services, pro.workspace_id)) == 1
    response = await client.delete(f"{HOOKS}/{subscription['id']}", headers=pro.headers())
    assert response.status_code == 204
    assert await _subscription_deliveries(services, pro.workspace_id) == []


async def test_emit_refuses_an_unknown_event(services, pro):
    with pytest.raises(ValueError):
        async with services.unit_of_work() as uow:
            await emit(uow, pro.workspace_id, "job.exploded", {})


async def test_each_subscription_is_a_line_of_its_own(client, services, pro, held_jobs):
    """Claims follow each subscription's order; neither another subscription nor a job's callbacks hold it back,
    and recovery resumes only what is first in its line."""
    first_sub = await _subscribe(client, pro, "http://hooks.test/a", ["credits.changed"])
    second_sub = await _subscribe(client, pro, "http://hooks.test/b", ["credits.changed"])
    await create_job(services, pro, params={"steps": 1}, callback_url="http://hooks.test/job")  # pending, held
    async with services.db.unit_of_work(NullDispatcher()) as uow:  # nothing handed to a sender
        for balance in (9, 8):
            await emit(uow, pro.workspace_id, "credits.changed", {"balance_before": balance + 1, "balance": balance})
    rows = await _subscription_deliveries(services, pro.workspace_id)
    a1, a2 = [d for d in rows if d.subscription_id == first_sub["id"].removeprefix("wh_")]
    b1, b2 = [d for d in rows if d.subscription_id == second_sub["id"].removeprefix("wh_")]
    assert [(a1.event_seq, a2.event_seq), (b1.event_seq, b2.event_seq)] == [(1, 2), (1, 2)]
    now = utcnow()
    until = now + timedelta(minutes=1)
    async with services.db.write_session() as session:
        repo = JobsRepository(session)
        resumable = set(await repo.deliveries_to_resume(now))
        assert {a1.id, b1.id} <= resumable and not {a2.id, b2.id} & resumable
        assert not await repo.claim_delivery(a2.id, "x", now=now, until=until)  # a1 goes first
        assert await repo.claim_delivery(b1.id, "x", now=now, until=until)  # another line: free
        assert await repo.claim_delivery(a1.id, "x", now=now, until=until)
        assert await repo.next_pending_delivery(None, a1.subscription_id) == a1.id
    async with services.db.write_session() as session:
        await session.execute(update(CallbackDelivery).where(CallbackDelivery.id == a1.id).values(status="delivered"))
    async with services.db.write_session() as session:
        repo = JobsRepository(session)
        assert await repo.next_pending_delivery(None, a1.subscription_id) == a2.id
        assert await repo.claim_delivery(a2.id, "y", now=now, until=until)
        assert not await repo.claim_delivery(b2.id, "y", now=now, until=until)  # b1 still pending
