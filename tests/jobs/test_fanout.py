"""Subscription fan-out: each event is executed once per distinct document and variables and the same bytes go
to every subscriber of it (``schema.fanout``, ``schema.view``); one Redis pub/sub connection per process
(``workers.bus.RedisBus``); every subscriber still gets every event, in order."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from strawberry.http.base import BaseView
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from domain.jobs.ports import workspace_topic
from schema.view import _shared_frame
from tests.support.graphql import LegacyWS, TransportWS
from workers.bus import RedisBus

FULL = "subscription { jobEvents { rawJobId kind seq type status progress message data createdAt } }"
SEQ_ONLY = "subscription { jobEvents { seq } }"


def event(workspace_id: str, job_id: str, seq: int) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "workspace_id": workspace_id,
        "kind": "fanout",
        "seq": seq,
        "type": "progress",
        "status": "processing",
        "progress": seq / 10,
        "message": f"step {seq}",
        "data": {"step": seq},
        "created_at": datetime.now(UTC).isoformat(),
    }


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subscription events graphql-core executed (their operation's first field), in order."""
    seen: list[str] = []
    execute = StrawberryGraphQLCoreExecutionContext.execute_operation

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.operation.operation.value == "subscription" and self.root_value is not None:
            seen.append(self.operation.selection_set.selections[0].name.value)
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", counting)
    return seen


async def wait_subscribed(bus: Any, topic: str, count: int) -> None:
    async with asyncio.timeout(10):
        while len(bus._subscribers.get(topic, ())) < count:  # noqa: ASYNC110 (the bus has no event to wait on)
            await asyncio.sleep(0.02)


async def test_each_event_runs_once_per_document_and_every_subscriber_gets_it_in_order(
    live_server, workspace, executions
):
    services = live_server.services
    job_id = str(uuid.uuid4())
    sockets: list[tuple[Any, str, str]] = []
    credentials = {"Authorization": f"Bearer {workspace.api_key}"}
    try:
        for i in range(12):
            document = FULL if i % 3 else SEQ_ONLY
            if i % 2:
                ws: Any = await TransportWS.connect(live_server.ws_url, credentials)
                op_id = await ws.subscribe(document)
            else:
                ws = await LegacyWS.connect(live_server.ws_url, credentials)
                op_id = "1"
                await ws.start(op_id, document)
            sockets.append((ws, op_id, document))
        await wait_subscribed(services.bus, workspace_topic(workspace.workspace_id), len(sockets))
        for seq in range(1, 6):
            await services.bus.publish(event(workspace.workspace_id, job_id, seq))
        received: dict[str, list[Any]] = {FULL: [], SEQ_ONLY: []}
        for ws, op_id, document in sockets:
            events = []
            for _ in range(5):
                async with asyncio.timeout(10):
                    while True:
                        message = json.loads(await ws.ws.recv())
                        if message.get("id") == op_id and message["type"] in ("next", "data"):
                            break
                events.append(message["payload"]["data"]["jobEvents"])
            assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
            received[document].append(events)
    finally:
        for ws, _, _ in sockets:
            await ws.close()
    # Every subscriber of a document got the same answers ...
    for answers in received.values():
        assert all(a == answers[0] for a in answers)
    assert received[FULL][0][0] == {
        "rawJobId": job_id,
        "kind": "fanout",
        "seq": 1,
        "type": "progress",
        "status": "PROCESSING",
        "progress": 0.1,
        "message": "step 1",
        "data": {"step": 1},
        "createdAt": received[FULL][0][0]["createdAt"],
    }
    # ... executed once per event and document: 5 events x 2 documents, not 5 x 12 subscribers.
    assert len(executions) == 10


async def test_a_subscription_of_another_workspace_gets_nothing_of_this_one(live_server, workspace, other_workspace):
    services = live_server.services
    mine = await TransportWS.connect(live_server.ws_url, {"Authorization": f"Bearer {workspace.api_key}"})
    theirs = await TransportWS.connect(live_server.ws_url, {"Authorization": f"Bearer {other_workspace.api_key}"})
    try:
        mine_id, theirs_id = await mine.subscribe(SEQ_ONLY), await theirs.subscribe(SEQ_ONLY)
        await wait_subscribed(services.bus, workspace_topic(workspace.workspace_id), 1)
        await wait_subscribed(services.bus, workspace_topic(other_workspace.workspace_id), 1)
        await services.bus.publish(event(workspace.workspace_id, str(uuid.uuid4()), 1))
        await services.bus.publish(event(other_workspace.workspace_id, str(uuid.uuid4()), 7))
        assert (await mine.next_message(mine_id))["payload"]["data"] == {"jobEvents": {"seq": 1}}
        assert (await theirs.next_message(theirs_id))["payload"]["data"] == {"jobEvents": {"seq": 7}}
    finally:
        await mine.close()
        await theirs.close()


@pytest.mark.parametrize(
    "message",
    [
        {"id": "7", "type": "next", "payload": {"data": {"jobEvents": {"seq": 1, "data": {"é": "\u2028"}}}}},
        {"type": "data", "id": "op-1", "payload": {"data": {"jobEvents": {"seq": 2, "message": None}}}},
    ],
)
def test_a_shared_frame_is_byte_for_byte_what_strawberry_writes(message):
    assert _shared_frame(message) == BaseView.encode_json(None, message)  # type: ignore[arg-type]
    assert _shared_frame(message) == _shared_frame(message)


def test_other_frames_are_left_to_strawberry():
    errors = {"id": "1", "type": "next", "payload": {"data": None, "errors": [{"message": "no"}]}}
    assert _shared_frame(errors) is None
    assert _shared_frame({"type": "connection_ack"}) is None


async def test_one_redis_connection_serves_every_subscriber_of_the_process(redis_url):
    bus = RedisBus(redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
    observer = RedisBus(redis_url)
    workspace_id, job_id = str(uuid.uuid4()), str(uuid.uuid4())
    topic = workspace_topic(workspace_id)
    channel = bus._prefix + topic
    try:
        async with asyncio.TaskGroup() as group:
            ready = asyncio.Event()
            entered = 0

            async def subscriber() -> list[int]:
                nonlocal entered
                async with bus.subscribe(topic) as live:
                    entered += 1
                    if entered == 50:
                        ready.set()
                    seqs: list[int] = []
                    async for message in live:
                        seqs.append(message["seq"])
                        if len(seqs) == 5:
                            return seqs
                return seqs

            tasks = [group.create_task(subscriber()) for _ in range(50)]
            async with asyncio.timeout(10):
                await ready.wait()
            numsub = await observer._client.pubsub_numsub(channel)
            assert numsub == [(channel.encode(), 1)]  # one connection for fifty subscribers
            for seq in range(1, 6):
                await bus.publish(event(workspace_id, job_id, seq))
        assert all(t.result() == [1, 2, 3, 4, 5] for t in tasks)
        # The last one out unsubscribes the channel.
        async with asyncio.timeout(5):
            while (await observer._client.pubsub_numsub(channel))[0][1]:  # noqa: ASYNC110 (Redis's state)
                await asyncio.sleep(0.02)
    finally:
        await bus.close()
        await observer.close()
