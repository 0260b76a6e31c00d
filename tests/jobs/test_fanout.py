"""Subscription fan-out: each event is executed once per distinct document and variables and the same bytes go
to every subscriber of it (``schema.fanout``, ``schema.view``); one Redis pub/sub connection per process
(``workers.bus.RedisBus``); every subscriber still gets every event, in order."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.websockets import WebSocketState
from strawberry.http.base import BaseView
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from domain.jobs.ports import workspace_topic
from schema.view import Sink, _shared_frame
from tests.support.graphql import LegacyWS, TransportWS
from workers import bus as bus_module
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
    frame = _shared_frame(message)
    assert frame is not None
    assert frame[0] == BaseView.encode_json(None, message)  # type: ignore[arg-type]
    assert frame[1] == BaseView.encode_json(None, message["payload"])  # type: ignore[arg-type]
    assert _shared_frame(message) == frame


def test_a_replayed_frame_is_byte_for_byte_what_strawberry_writes_for_that_operation():
    written: list[str] = []

    class Socket:
        application_state = WebSocketState.CONNECTED

        async def send_text(self, text: str) -> None:
            written.append(text)

    operation = SimpleNamespace(id="op-9", query=FULL, operation_name=None, variables={"k": ["x"]}, completed=False)
    handler = SimpleNamespace(operations={"op-9": operation})
    sink = Sink(handler, operation, SimpleNamespace(ws=Socket()))  # type: ignore[arg-type]
    payload = {"data": {"jobEvents": {"seq": 3, "message": "é \u2028"}}}
    leader = _shared_frame({"id": "1", "type": "next", "payload": payload})
    assert leader is not None
    assert sink.replay(leader[1]) is None  # written at once, no task
    assert written == [BaseView.encode_json(None, {"id": "op-9", "type": "next", "payload": payload})]  # type: ignore[arg-type]
    operation.completed = True  # an operation that ended gets nothing more, as its own pipeline would send nothing
    assert sink.replay(leader[1]) is None
    assert len(written) == 1


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


async def test_one_pipeline_per_group_runs_each_event_and_the_rest_get_its_frame_replayed_in_order(
    live_server, workspace, monkeypatch
):
    """graphql-transport-ws subscribers of the same document, variables and audience form a group: per event
    the bus runs one of them and writes its frame to the others under their own ids; a subscriber filtering
    by kind is its own group and gets only its kind. Every subscriber gets every event it asked for, in order."""
    taken: list[str] = []
    taking = Sink.taking

    def counting(self: Sink) -> None:
        taken.append(self.operation.id)
        taking(self)

    monkeypatch.setattr(Sink, "taking", counting)
    services = live_server.services
    job_id = str(uuid.uuid4())
    credentials = {"Authorization": f"Bearer {workspace.api_key}"}
    kinds_only = "subscription($k: [String!]) { jobEvents(kinds: $k) { seq kind } }"
    sockets: list[tuple[Any, str, str]] = []
    try:
        for i in range(9):
            ws = await TransportWS.connect(live_server.ws_url, credentials)
            if i % 2:
                await ws.subscribe(kinds_only, {"k": ["other"]})  # id "1": another group on the same socket
            op_id = await ws.subscribe(FULL if i < 6 else kinds_only, None if i < 6 else {"k": ["fanout"]})
            sockets.append((ws, op_id, FULL if i < 6 else "fanout-only"))
        await wait_subscribed(services.bus, workspace_topic(workspace.workspace_id), 9 + 4)
        for seq in range(1, 6):
            await services.bus.publish(event(workspace.workspace_id, job_id, seq) | {"kind": "fanout"})
            await services.bus.publish(event(workspace.workspace_id, job_id, 100 + seq) | {"kind": "noise"})
        frames: dict[str, list[str]] = {FULL: [], "fanout-only": []}
        expected = {FULL: [s for i in range(1, 6) for s in (i, 100 + i)], "fanout-only": [1, 2, 3, 4, 5]}
        for ws, op_id, group in sockets:
            seqs = []
            for _ in expected[group]:
                async with asyncio.timeout(10):
                    while True:
                        raw = await ws.ws.recv()
                        message = json.loads(raw)
                        assert message["type"] == "next", message
                        if message["id"] == op_id:
                            break
                seqs.append(message["payload"]["data"]["jobEvents"]["seq"])
                frames[group].append(raw.replace(f'"id":"{op_id}"', '"id":"?"'))
            assert seqs == expected[group]  # in order, gap-free; the filtered kind never reached "fanout-only"
    finally:
        for ws, _, _ in sockets:
            await ws.close()
    for group, written in frames.items():
        count = len(expected[group])
        per_event = [written[i::count] for i in range(count)]
        assert all(len(set(same)) == 1 for same in per_event), group  # the same bytes but for the id
    # Ten events, three groups on the topic (FULL, kinds fanout, kinds other): a pipeline per group and event,
    # however many subscribers (13). The first events may still find some subscribers busy, hence "at most".
    assert len(taken) <= 10 * 3 + 13


class _Member:
    """A fake ``Member``: its pipeline is the test's loop over ``drain``."""

    def __init__(self, key: Any, written: list[tuple[str, Any]], name: str) -> None:
        self.key, self.written, self.name = key, written, name
        self.made: Any = None
        self.pending: asyncio.Future[None] | None = None

    def taking(self) -> None:
        self.made = bus_module.SKIPPED

    def outcome(self) -> Any:
        return self.made

    def replay(self, outcome: Any) -> Any:
        self.written.append((self.name, outcome))
        return self.pending


async def _run(subscriber: Any, member: _Member, produce: Any) -> None:
    async for message in subscriber.drain():
        result = produce(message)
        if result is not bus_module.SKIPPED:
            member.written.append((member.name, result))
        member.made = result


async def test_deliver_replays_the_leaders_output_and_queues_for_a_busy_or_unreplayable_subscriber():
    written: list[tuple[str, Any]] = []
    members = [_Member("g", written, n) for n in ("a", "b", "c")]
    local = bus_module._Local()
    subscribers = []
    for member in members:
        token = bus_module.MEMBER.set(member)
        subscribers.append(local.add("t"))
        bus_module.MEMBER.reset(token)
    runs = [
        asyncio.create_task(_run(s, m, lambda msg: f"frame {msg['seq']}" if msg["seq"] != 3 else None))
        for s, m in zip(subscribers, members, strict=True)
    ]
    await asyncio.sleep(0)
    for seq in (1, 2, 3, 4):
        await bus_module.deliver(local.subscribers["t"], {"seq": seq}, "t")
    await asyncio.sleep(0.05)
    by_member = {m.name: [w for n, w in written if n == m.name] for m in members}
    # Event 3 cannot be replayed (its output is None): each ran its own pipeline (and wrote nothing); the rest
    # were run once and replayed.
    expected = ["frame 1", "frame 2", None, "frame 4"]
    assert by_member == {"a": expected, "b": expected, "c": expected}
    for run in runs:
        run.cancel()


async def test_a_write_still_in_flight_holds_back_later_messages_of_that_subscriber():
    written: list[tuple[str, Any]] = []
    leader, follower = _Member("g", written, "lead"), _Member("g", written, "slow")
    local = bus_module._Local()
    subscribers = []
    for member in (leader, follower):
        token = bus_module.MEMBER.set(member)
        subscribers.append(local.add("t"))
        bus_module.MEMBER.reset(token)
    socket_free = asyncio.get_running_loop().create_future()

    async def write_later() -> None:
        await socket_free
        written.append(("slow", "flushed"))

    follower.pending = write_later()  # type: ignore[assignment]
    runs = [
        asyncio.create_task(_run(s, m, lambda msg: f"frame {msg['seq']}"))
        for s, m in zip(subscribers, (leader, follower), strict=True)
    ]
    await asyncio.sleep(0)
    await bus_module.deliver(local.subscribers["t"], {"seq": 1}, "t")
    follower.pending = None
    await bus_module.deliver(local.subscribers["t"], {"seq": 2}, "t")  # the follower is busy: queued
    await asyncio.sleep(0.01)
    assert ("slow", "frame 2") not in written  # held back behind the write in flight
    socket_free.set_result(None)
    await asyncio.sleep(0.01)
    slow = [w for n, w in written if n == "slow"]
    assert slow == ["frame 1", "flushed", "frame 2"]
    for run in runs:
        run.cancel()


async def test_the_redis_reader_replays_to_a_group_in_one_pass_in_order(redis_url):
    bus = RedisBus(redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
    workspace_id, job_id = str(uuid.uuid4()), str(uuid.uuid4())
    topic = workspace_topic(workspace_id)
    written: list[tuple[str, Any]] = []
    members = [_Member("g", written, str(i)) for i in range(20)]
    ran: list[str] = []

    async def subscriber(member: _Member) -> None:
        token = bus_module.MEMBER.set(member)
        try:
            async with bus.subscribe(topic) as live:
                async for message in live:
                    ran.append(member.name)
                    member.made = f"frame {message['seq']}"
                    written.append((member.name, member.made))
        finally:
            bus_module.MEMBER.reset(token)

    tasks = [asyncio.create_task(subscriber(m)) for m in members]
    try:
        await wait_subscribed(bus, bus._prefix + topic, 20)
        await asyncio.sleep(0.05)
        for seq in range(1, 6):
            await bus.publish(event(workspace_id, job_id, seq))
        async with asyncio.timeout(10):
            while len(written) < 100:  # noqa: ASYNC110 (what the subscribers wrote)
                await asyncio.sleep(0.02)
        for member in members:
            assert [w for n, w in written if n == member.name] == [f"frame {s}" for s in range(1, 6)]
        assert len(ran) == 5  # one pipeline per event; the 19 others got its output replayed
    finally:
        for task in tasks:
            task.cancel()
        await bus.close()
