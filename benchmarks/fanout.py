"""Subscription fan-out: ``python -m benchmarks.fanout [--subscribers 1000] [--events 30]``.

One server process (uvicorn, as ``shopwright serve`` runs it, on Redis and PostgreSQL: the scratch database
``SHOPWRIGHT_BENCH_FANOUT_DATABASE_URL``, default ``bench_fanout`` on the local server; Redis at
``SHOPWRIGHT_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``) and ``--subscribers`` WebSocket clients
(``graphql-transport-ws``, spread over ``--client-processes`` processes), each subscribed to ``jobEvents`` of
one workspace. Job events are published on the Redis bus the way a worker publishes them, each carrying its
publish time; every client notes when it receives each one. Printed: p50, p99 and max latency from publish
to receipt over every (event, subscriber) pair, and how many arrived (all of them, in order, or the run
says so). ``--deflate`` turns the server's per-message-deflate on (uvicorn's default, and today what
``shopwright serve`` runs with; off is the recommendation, see docs/performance.md). ``--tree`` serves another
copy of the source (before and after, interleaved); ``--profile-server FILE`` writes the server's cProfile.

The clients are part of the instrument and share the machine's cores with the server: by default each is a
bare asyncio protocol on uvloop (``_Subscriber``: it parses the server's frames and decodes each message, and
no more); ``--client websockets`` uses the ``websockets`` library's client instead, as the first measurements
did (about twice the clients' CPU a frame). Also printed: CPU time per event of the server and of the
clients together (from ``/proc``, over the measured events), which moves much less with the machine's load
than the latencies do.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_fanout"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECRET = "bench-fanout-secret"
DOCUMENT = "subscription { jobEvents { rawJobId kind seq type status progress message data createdAt } }"

SERVER = """
import sys, uvicorn
sys.path.insert(0, sys.argv[3])
from shopwright.app import build_app
from shopwright.settings import Settings
port, deflate = int(sys.argv[1]), sys.argv[2] == "1"
app = build_app(Settings())
def serve():
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False, ws="websockets-sansio",
                ws_per_message_deflate=deflate)
if sys.argv[4]:  # statistics written on SIGUSR1
    import cProfile, signal
    profiler = cProfile.Profile()
    signal.signal(signal.SIGUSR1, lambda *_: profiler.dump_stats(sys.argv[4]))
    profiler.enable()
serve()
"""


async def make_workspace(env: dict[str, str]) -> str:
    """A workspace and its API key, made through the app's own services."""
    from shopwright.app import build_app
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace as make

    settings = Settings(
        database_url=env["SHOPWRIGHT_DATABASE_URL"],
        data_dir=Path(env["SHOPWRIGHT_DATA_DIR"]),
        secret_key=SECRET,
        redis_url=None,
    )
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        info = await make(app.state.services, name="Fan-out")
    return json.dumps({"workspace_id": info.workspace_id, "api_key": info.api_key})


class _Subscriber(asyncio.Protocol):
    """One ``graphql-transport-ws`` client on a bare asyncio protocol: the handshake, two masked frames out,
    then every frame the server sends parsed in ``data_received`` (server frames are unmasked). What a
    benchmark client must do and nothing more, so its own cost does not hide the server's."""

    def __init__(self, host: str, path: str, api_key: str, expected: int, received: list[tuple[int, float]]) -> None:
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
        self.api_key = api_key
        self.expected = expected
        self.received = received
        self.buffer = bytearray()
        self.upgraded = False
        self.transport: asyncio.Transport | None = None
        self.acked: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass, but has its methods
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish("connection lost")

    def send(self, value: Any, opcode: int = 0x1) -> None:
        payload = json.dumps(value).encode() if opcode == 0x1 else value
        mask = os.urandom(4)
        size = len(payload)
        head = bytes([0x80 | opcode, 0x80 | size]) if size < 126 else bytes([0x80 | opcode, 0xFE]) + size.to_bytes(2)
        key = (mask * (size // 4 + 1))[:size]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")
        assert self.transport is not None
        self.transport.write(head + mask + masked)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[:end]).split(b"\r\n", 1)[0]
            del self.buffer[: end + 4]
            if b" 101 " not in status:
                self._finish(f"handshake refused: {status!r}")
                return
            self.upgraded = True
            self.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.api_key}"}})
        buffer = self.buffer
        while len(buffer) >= 2:
            opcode, size, start = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if size == 126:
                size, start = int.from_bytes(buffer[2:4]), 4
            elif size == 127:
                size, start = int.from_bytes(buffer[2:10]), 10
            if len(buffer) < start + size:
                return
            payload = bytes(buffer[start : start + size])
            del buffer[: start + size]
            if opcode == 0x9:
                self.send(payload, 0xA)  # pong
            elif opcode == 0x8:
                self._finish(f"closed by the server: {payload!r}")
            elif opcode == 0x1:
                self._message(payload)

    def _message(self, payload: bytes) -> None:
        message = json.loads(payload)
        kind = message.get("type")
        if kind == "next" and (data := message["payload"].get("data")):
            event = data["jobEvents"]
            self.received.append((event["seq"], time.time() - event["data"]["t"]))
            if event["seq"] >= self.expected:
                self._finish(None)
        elif kind == "connection_ack":
            self.acked.set_result(None)
            self.send({"id": "1", "type": "subscribe", "payload": {"query": DOCUMENT}})
        elif kind == "ping":
            self.send({"type": "pong"})
        else:
            self._finish(str(message)[:300])

    def _finish(self, failure: str | None) -> None:
        if not self.done.done():
            self.done.set_result(failure)
        if self.transport is not None and failure is None:
            self.transport.close()


async def subscribe_all(
    url: str, api_key: str, count: int, expected: int, ready: Any, go: Any, kind: str = "raw"
) -> list[Any]:
    """``count`` subscribers; what each received: [(seq, latency in seconds)]. ``ready`` is set once every one
    has sent its subscription; each stops after event ``expected`` (or when the run is over). ``kind``: ``raw``
    (``_Subscriber``) or ``websockets`` (the ``websockets`` library's client, as the benchmark first measured)."""
    if kind == "websockets":
        return await subscribe_all_websockets(url, api_key, count, expected, ready, go)
    loop = asyncio.get_running_loop()
    address = url.removeprefix("ws://")
    host, _, path = address.partition("/")
    hostname, _, port = host.partition(":")
    received: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    subscribers: list[_Subscriber] = []

    async def one(index: int) -> None:
        _, subscriber = await loop.create_connection(
            lambda: _Subscriber(host, "/" + path, api_key, expected, received[index]), hostname, int(port)
        )
        subscribers.append(subscriber)
        waiting: list[asyncio.Future[Any]] = [subscriber.acked, subscriber.done]
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if subscriber.done.done():
            raise RuntimeError(subscriber.done.result())

    # Connected a hundred at a time (a thousand SYNs at once overflow the listen backlog).
    for start in range(0, count, 100):
        await asyncio.gather(*(one(i) for i in range(start, min(count, start + 100))))
    ready.set()
    await asyncio.to_thread(go.wait, 600)  # the publisher is done: whatever has not arrived in 5 s never will
    await asyncio.wait([s.done for s in subscribers], timeout=5)
    failed = [s.done.result() for s in subscribers if s.done.done() and s.done.result() is not None]
    for subscriber in subscribers:
        if subscriber.transport is not None:
            subscriber.transport.abort()
    return [received, [f for f in failed if f]]


async def subscribe_all_websockets(url: str, api_key: str, count: int, expected: int, ready: Any, go: Any) -> list[Any]:
    from websockets.asyncio.client import connect

    received: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    failed: list[str] = []
    subscribed = 0
    all_subscribed = asyncio.Event()

    async def one(index: int) -> None:
        nonlocal subscribed
        async with connect(url, subprotocols=["graphql-transport-ws"], max_size=None, open_timeout=120) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {api_key}"}}))
            ack = json.loads(await ws.recv())
            assert ack["type"] == "connection_ack", ack
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": DOCUMENT}}))
            subscribed += 1
            if subscribed == count:
                all_subscribed.set()
            while True:
                raw = await ws.recv()
                now = time.time()
                message = json.loads(raw)
                data = (message.get("payload") or {}).get("data") if message.get("type") == "next" else None
                if not data:
                    failed.append(str(message)[:300])
                    return
                event = data["jobEvents"]
                received[index].append((event["seq"], now - event["data"]["t"]))
                if event["seq"] >= expected:
                    return

    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    waiting = asyncio.create_task(all_subscribed.wait())
    await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if not waiting.done():
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()  # type: ignore[misc]
    ready.set()
    await asyncio.to_thread(go.wait, 600)  # the publisher is done: whatever has not arrived in 5 s never will
    await asyncio.wait(tasks, timeout=5)
    for task in tasks:
        task.cancel()
    return [received, failed]


def client_process(
    url: str, api_key: str, count: int, expected: int, ready: Any, go: Any, out: Any, kind: str = "raw"
) -> None:
    if kind == "raw":
        import uvloop

        uvloop.install()
    results = asyncio.run(subscribe_all(url, api_key, count, expected, ready, go, kind))
    out.send(results)
    out.close()


def message(workspace_id: str, job_id: str, seq: int) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "workspace_id": workspace_id,
        "kind": "bench",
        "seq": seq,
        "type": "progress",
        "status": "processing",
        "progress": 0.5,
        "message": f"step {seq}",
        "data": {"t": time.time()},
        "created_at": datetime.now(UTC).isoformat(),
    }


async def drive(
    redis_url: str, workspace_id: str, warmup: int, events: int, interval: float, measuring: Any = None
) -> None:
    """A few warm-up events once every subscription is sent (the server may still be starting some), then
    ``events`` more, ``interval`` apart; the first measured event is numbered ``warmup + 1``. ``measuring()``
    is called as the measured events start and again after the last one."""
    from workers.bus import RedisBus

    bus = RedisBus(redis_url)
    job_id = str(uuid.uuid4())
    try:
        for seq in range(1, warmup + 1):
            await bus.publish(message(workspace_id, job_id, seq))
            await asyncio.sleep(0.5)
        if measuring is not None:
            measuring()
        for seq in range(warmup + 1, warmup + events + 1):
            await bus.publish(message(workspace_id, job_id, seq))
            await asyncio.sleep(interval)
        if measuring is not None:
            measuring()
    finally:
        await bus.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (``/proc``; 0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=30)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--warmup", type=int, default=4, help="events sent, not measured, before the rest")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--client",
        choices=("raw", "websockets"),
        default="raw",
        help="raw: a bare asyncio protocol (the default); websockets: the websockets library's client",
    )
    parser.add_argument("--deflate", action="store_true")
    parser.add_argument("--profile-server", default="", help="write the server's cProfile statistics here")
    parser.add_argument(
        "--tree", default=str(Path(__file__).resolve().parents[1]), help="serve this copy of the source (before/after)"
    )
    args = parser.parse_args(argv)

    from benchmarks.graphql_overhead import ensure_database
    from tests.support.serving import free_port

    db = os.environ.get("SHOPWRIGHT_BENCH_FANOUT_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("SHOPWRIGHT_BENCH_REDIS_URL", DEFAULT_REDIS)
    ensure_database(db)
    data = tempfile.mkdtemp(prefix="bench-fanout-")
    env = {
        **os.environ,
        "SHOPWRIGHT_DATABASE_URL": db,
        "SHOPWRIGHT_REDIS_URL": redis_url,
        "SHOPWRIGHT_SECRET_KEY": SECRET,
        "SHOPWRIGHT_DATA_DIR": data,
        "SHOPWRIGHT_LOG_LEVEL": "WARNING",
    }
    created = json.loads(asyncio.run(make_workspace(env)))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), "1" if args.deflate else "0", args.tree, args.profile_server],
        env=env,
        cwd=args.tree,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        url = f"ws://127.0.0.1:{port}/graphql"
        expected = args.warmup + args.events
        context = multiprocessing.get_context("spawn")
        clients = []
        share = [args.subscribers // args.client_processes] * args.client_processes
        share[0] += args.subscribers - sum(share)
        for count in share:
            ready, go = context.Event(), context.Event()
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=client_process,
                args=(url, created["api_key"], count, expected, ready, go, sender, args.client),
            )
            process.start()
            clients.append((process, receiver, ready, go))
        for _, _, ready, _ in clients:
            if not ready.wait(300):
                raise RuntimeError("the subscribers did not come up")
        pids = [server.pid] + [process.pid for process, _, _, _ in clients]
        cpu: list[list[float]] = []
        asyncio.run(
            drive(
                redis_url,
                created["workspace_id"],
                args.warmup,
                args.events,
                args.interval,
                lambda: cpu.append([cpu_seconds(pid) for pid in pids if pid is not None]),
            )
        )
        for _, _, _, go in clients:
            go.set()
        results: list[list[tuple[int, float]]] = []
        failures: list[str] = []
        for process, receiver, _, _ in clients:
            if receiver.poll(120):
                received, failed = receiver.recv()
                results.extend(received)
                failures.extend(failed)
            process.join(30)
    finally:
        if args.profile_server:
            server.send_signal(signal.SIGUSR1)
            time.sleep(2)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)

    latencies = [latency for received in results for seq, latency in received if seq > args.warmup] or [float("nan")]
    ordered = all([s for s, _ in r] == sorted(s for s, _ in r) for r in results)
    complete = sum(1 for r in results if {s for s, _ in r} >= set(range(args.warmup + 1, expected + 1)))
    print(
        f"jobEvents fan-out, {args.subscribers} subscribers, {args.events} events "
        f"(deflate {'on' if args.deflate else 'off'}): "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms  p99 {percentile(latencies, 0.99) * 1000:.1f} ms  "
        f"max {max(latencies) * 1000:.1f} ms  subscribers with every event {complete}/{args.subscribers}  "
        f"in order {ordered}  subscriptions refused {len(failures)}"
    )
    if len(cpu) == 2:
        spent = [(after - before) * 1000 / args.events for before, after in zip(*cpu, strict=True)]
        print(
            f"  CPU per event: server {spent[0]:.1f} ms, clients {sum(spent[1:]):.1f} ms "
            f"({args.client}, {args.client_processes} processes); load average {os.getloadavg()[0]:.2f}"
        )
    if failures:
        print(f"  first refusal: {failures[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
