"""GraphQL subscriptions over a real uvicorn server: snapshot first, then every event, in order."""

from __future__ import annotations

import asyncio

from tests.support import jobkinds
from tests.support.factories import create_job, make_workspace
from tests.support.graphql import LegacyWS, TransportWS, subscription
from tests.support.jobs import events_of, wait_for

PROGRESS = """subscription($id: ID!) {
  jobProgress(id: $id) { rawJobId seq type status progress message data } }"""
WORKSPACE_EVENTS = """subscription($kinds: [String!]) {
  jobEvents(kinds: $kinds) { rawJobId kind seq type status } }"""


def payloads(messages):
    return [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] in ("next", "data")]


def assert_contiguous(events, first_seq):
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(first_seq, first_seq + len(seqs))), seqs


async def test_subscription_opened_half_way_gets_state_then_the_rest(live_server, workspace):
    services = live_server.services
    job_id = await create_job(services, workspace, params={"steps": 8, "delay": 0.15})
    half = await wait_for(services, job_id, {"processing"}, min_progress=0.5)
    messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers())
    assert messages[-1]["type"] == "complete"
    received = payloads(messages)
    snapshot, rest = received[0], received[1:]
    assert snapshot["type"] == "snapshot" and snapshot["seq"] >= half.last_seq
    assert snapshot["status"] == "PROCESSING" and snapshot["progress"] >= 0.5
    assert rest, "events after the snapshot"
    assert_contiguous(rest, snapshot["seq"] + 1)
    assert rest[-1]["type"] == "status" and rest[-1]["status"] == "COMPLETED"
    stored = await events_of(services, job_id)
    assert rest[-1]["seq"] == stored[-1].seq


async def test_subscription_after_finish_gets_final_state_and_completes(live_server, workspace):
    services = live_server.services
    job_id = await create_job(services, workspace, params={"steps": 2})
    done = await wait_for(services, job_id, {"completed"})
    messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers())
    assert [m["type"] for m in messages] == ["next", "complete"]
    (snapshot,) = payloads(messages)
    assert snapshot == {
        "rawJobId": job_id,
        "seq": done.last_seq,
        "type": "snapshot",
        "status": "COMPLETED",
        "progress": 1.0,
        "message": "Completed",
        "data": None,
    }


async def test_subscription_from_the_start_sees_every_event(live_server, workspace):
    services = live_server.services
    job_id = await create_job(services, workspace, params={"steps": 5, "delay": 0.1})
    received = payloads(await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers()))
    snapshot, rest = received[0], received[1:]
    assert_contiguous(rest, snapshot["seq"] + 1)
    stored = await events_of(services, job_id)
    assert [e["seq"] for e in rest] == [e.seq for e in stored if e.seq > snapshot["seq"]]
    assert rest[-1]["status"] == "COMPLETED"


async def test_legacy_graphql_ws_protocol(live_server, workspace):
    services = live_server.services
    job_id = await create_job(services, workspace, params={"steps": 3, "delay": 0.1})
    async with LegacyWS.opened(live_server.ws_url, workspace.headers()) as ws:
        await ws.start("1", PROGRESS, {"id": job_id})
        messages = await ws.messages("1")
    assert messages[-1]["type"] == "complete"
    received = payloads(messages)
    assert received[-1]["status"] == "COMPLETED"
    assert_contiguous(received[1:], received[0]["seq"] + 1)


async def test_access_token_in_connection_params_and_header(live_server, workspace):
    services = live_server.services
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, {"authToken": workspace.access_token})
    assert payloads(messages)[0]["status"] == "COMPLETED"


async def test_workspace_events_are_filtered_and_isolated(live_server, workspace):
    services = live_server.services
    other = await make_workspace(services, name="Other")
    async with TransportWS.opened(live_server.ws_url, workspace.headers()) as ws:
        op = await ws.subscribe(WORKSPACE_EVENTS, {"kinds": ["test.steps"]})
        await asyncio.sleep(0.3)  # let the subscription register before anything is published
        foreign = await create_job(services, other, params={"steps": 2})
        await wait_for(services, foreign, {"completed"})
        unwanted_kind = await create_job(services, workspace, kind=jobkinds.UNREGISTERED)
        await wait_for(services, unwanted_kind, {"failed"})
        mine = await create_job(services, workspace, params={"steps": 2})
        received = []
        while True:
            message = await ws.next_message(op)
            event = message["payload"]["data"]["jobEvents"]
            received.append(event)
            if event["rawJobId"] == mine and event["status"] == "COMPLETED":
                break
    assert {e["rawJobId"] for e in received} == {mine}
    assert [e["seq"] for e in received] == list(range(1, len(received) + 1))


async def test_unauthenticated_and_foreign_subscriptions_error(live_server, workspace):
    services = live_server.services
    other = await make_workspace(services, name="Other")
    foreign = await create_job(services, other, params={"steps": 1})
    messages = await subscription(live_server.ws_url, PROGRESS, {"id": foreign})
    assert [m["type"] for m in messages] == ["next", "complete"]
    assert messages[0]["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in messages[0]["payload"]["errors"]] == ["UNAUTHENTICATED"]
    messages = await subscription(live_server.ws_url, PROGRESS, {"id": foreign}, workspace.headers())
    assert [m["type"] for m in messages] == ["next", "complete"]
    assert messages[0]["payload"] == {
        "data": None,
        "errors": [{"message": "Job not found.", "extensions": {"code": "NOT_FOUND", "status": 404}}],
    }
