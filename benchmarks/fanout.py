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
"""

from __future__ import annotations

import argparse
import asyncio
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
from typing import Any

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


async def subscribe_all(url: str, api_key: str, count: int, expected: int, ready: Any, go: Any) -> list[Any]:
    """``count`` subscribers; what each received: [(seq, latency in seconds)]. ``ready`` is set once every one
    has sent its subscription; each stops after event ``expected`` (or when the run is over)."""
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


def client_process(url: str, api_key: str, count: int, expected: int, ready: Any, go: Any, out: Any) -> None:
    results = asyncio.run(subscribe_all(url, api_key, count, expected, ready, go))
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


async def drive(redis_url: str, workspace_id: str, warmup: int, events: int, interval: float) -> None:
    """A few warm-up events once every subscription is sent (the server may still be starting some), then
    ``events`` more, ``interval`` apart; the first measured event is numbered ``warmup + 1``."""
    from workers.bus import RedisBus

    bus = RedisBus(redis_url)
    job_id = str(uuid.uuid4())
    try:
        for seq in range(1, warmup + 1):
            await bus.publish(message(workspace_id, job_id, seq))
            await asyncio.sleep(0.5)
        for seq in range(warmup + 1, warmup + events + 1):
            await bus.publish(message(workspace_id, job_id, seq))
            await asyncio.sleep(interval)
    finally:
        await bus.close()


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
                target=client_process, args=(url, created["api_key"], count, expected, ready, go, sender)
            )
            process.start()
            clients.append((process, receiver, ready, go))
        for _, _, ready, _ in clients:
            if not ready.wait(300):
                raise RuntimeError("the subscribers did not come up")
        asyncio.run(drive(redis_url, created["workspace_id"], args.warmup, args.events, args.interval))
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
    if failures:
        print(f"  first refusal: {failures[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
