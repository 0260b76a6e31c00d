"""Read paths against a bare route: ``python -m benchmarks.read_paths`` (issue 13, rows 1 to 3).

Seeds a PostgreSQL database (``benchmarks.seed``: 2,000 products, 50 brands, 100 categories, 4,000 offers),
starts Shopwright (``shopwright serve``, one uvicorn worker) and the bare Starlette + asyncpg app
(``benchmarks.bare``, the same SQL and the same JSON), each pinned to core 0, and drives each from this process
pinned to core 1: a small asyncio HTTP/1.1 client keeping ``--connections`` keep-alive connections busy for
``--seconds``. Every row is measured ``--runs`` times, bare and Shopwright interleaved, and the medians are
printed with their ratio. The store's rate limit is lifted through settings
(``SHOPWRIGHT_RATE_LIMITS='{"store.all": 0}'``), and so is the GraphQL cost budget
(``SHOPWRIGHT_GRAPHQL_COST_BUCKET_SIZE``, ``SHOPWRIGHT_GRAPHQL_COST_RESTORE_RATE``).

Then, in this process, the same requests go through the app in-process and two counters report what one request
costs the database: **statements** (SQLAlchemy's ``before_cursor_execute`` on the app's engine) and **round
trips** (every asyncpg call that waits for the server: ``BEGIN``/``ROLLBACK``, pre-ping, prepare, execute),
averaged over requests after a warm-up.

Before measuring, the bodies of bare and Shopwright are compared (``data``), so the two do the same work.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.engine import make_url

from benchmarks.bare import ONE_QUERY, PAGE_QUERY
from benchmarks.counters import round_trips, statements
from benchmarks.seed import DEFAULT_URL, SECRET, seed

if TYPE_CHECKING:
    from shopwright.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SERVER_CORE = 0
LOAD_CORE = 1
LIFTED = 10**9
REST_PAGE = "/api/products?per_page=50&include=brand,offers,categories"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes = b""

    def raw(self, host: str, token: str | None) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if self.body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


def gql(query: str, variables: dict[str, Any], path: str = "/graphql") -> Call:
    return Call("POST", path, json.dumps({"query": query, "variables": variables}).encode())


FIRST = gql("{ products(first: 1) { edges { node { id productId } } } }", {})


@dataclass(frozen=True)
class Row:
    name: str
    bare: Call
    app: Call


# --- the load generator -------------------------------------------------------------------------------------


async def _one_connection(host: str, port: int, request: bytes, deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            chunked = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                lname = name.strip().lower()
                if lname == b"content-length":
                    length = int(value)
                elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            if status == b"200":
                counts[0] += 1
            else:
                counts[1] += 1
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


@dataclass(frozen=True)
class Measured:
    rps: float  # successful requests a second
    errors: int  # answers other than 200
    cpu_ms: float | None  # the server's CPU time (user + system) per request, when it can be read


async def drive(url: str, call: Call, token: str | None, seconds: float, connections: int, pid: int) -> Measured:
    """Load ``call`` on ``connections`` connections for ``seconds``. Besides the rate, the server process's CPU
    time per request: a figure that depends much less on what else the machine runs than the rate does."""
    parsed = httpx.URL(url)
    host, port = parsed.host, parsed.port or 80
    raw = call.raw(f"{host}:{port}", token)
    counts = [0, 0]
    await _one_connection(host, port, raw, time.perf_counter() + 0.3, [0, 0])  # warm-up
    cpu_before = cpu_seconds(pid)
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(_one_connection(host, port, raw, deadline, counts) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    cpu_after = cpu_seconds(pid)
    done = counts[0] + counts[1]
    cpu_ms = (
        (cpu_after - cpu_before) * 1000 / done if cpu_before is not None and cpu_after is not None and done else None
    )
    return Measured(counts[0] / elapsed, counts[1], cpu_ms)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the servers --------------------------------------------------------------------------------------------


def _pin(core: int) -> Callable[[], None]:
    def pin() -> None:
        if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > core:
            os.sched_setaffinity(0, {core})

    return pin


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def server(argv: list[str], env: dict[str, str], url: str, ready_path: str, tree: Path = ROOT) -> Iterator[Server]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    if tree != ROOT:  # another copy of the source (before and after a change), its packages first
        inherited["PYTHONPATH"] = str(tree)
    proc = subprocess.Popen(
        argv, env={**inherited, **env}, cwd=tree, preexec_fn=_pin(SERVER_CORE), stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{argv} exited with {proc.returncode}")
            try:
                if httpx.get(url + ready_path, timeout=1).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv} did not start")
            time.sleep(0.2)
        yield Server(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def app_env(url: str, data_dir: str) -> dict[str, str]:
    return {
        "SHOPWRIGHT_DATABASE_URL": url,
        "SHOPWRIGHT_SECRET_KEY": SECRET,
        "SHOPWRIGHT_DATA_DIR": data_dir,
        "SHOPWRIGHT_AI_PROVIDER": "offline",
        "SHOPWRIGHT_RATE_LIMITS": '{"store.all": 0}',
        "SHOPWRIGHT_LOG_LEVEL": "WARNING",
        # The workspace's GraphQL cost budget refills faster than any load (the cost is still computed).
        "SHOPWRIGHT_GRAPHQL_COST_BUCKET_SIZE": str(LIFTED),
        "SHOPWRIGHT_GRAPHQL_COST_RESTORE_RATE": str(LIFTED),
    }


# --- the statement and round-trip counters -------------------------------------------------------------------


def in_process_settings(url: str, data: Path, **more: Any) -> Settings:
    """The app's settings for an in-process run on ``url``: offline AI, no Redis, the store's rate limit and
    the GraphQL cost budget lifted (through settings, as for the servers)."""
    from shopwright.settings import Settings

    return Settings(
        database_url=url,
        secret_key=SECRET,
        data_dir=data,
        ai_provider="offline",
        rate_limits={"store.all": 0},
        graphql_cost_bucket_size=LIFTED,
        graphql_cost_restore_rate=LIFTED,
        redis_url=None,
        **more,
    )


async def count(url: str, token: str, repeat: int = 5) -> tuple[list[Row], dict[str, tuple[float, float]]]:
    """The rows, and the statements and round trips per request of each row's Shopwright request (the mean of
    ``repeat`` requests after a warm-up), with the app in this process."""
    from shopwright.app import build_app

    with tempfile.TemporaryDirectory() as data:
        settings = in_process_settings(url, Path(data))
        app = build_app(settings)
        out: dict[str, tuple[float, float]] = {}
        async with app.router.lifespan_context(app):
            engine = app.state.services.db.engine
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
                first = await client.post("/graphql", content=FIRST.body, headers=headers)
                node = first.json()["data"]["products"]["edges"][0]["node"]
                rows = rows_for(node["id"], node["productId"])
                for row in rows:
                    await client.request(row.app.method, row.app.path, content=row.app.body, headers=headers)
                    with statements(engine) as sent, round_trips() as calls:
                        for _ in range(repeat):
                            r = await client.request(
                                row.app.method, row.app.path, content=row.app.body, headers=headers
                            )
                            assert r.status_code == 200, r.text
                    out[row.name] = (len(sent) / repeat, len(calls) / repeat)
            await app.state.services.db.dispose()
        return rows, out


# --- the rows -----------------------------------------------------------------------------------------------


def rows_for(product_global_id: str, product_id: int) -> list[Row]:
    return [
        Row("GraphQL products(first: 50) + brand, categories, offers", gql(PAGE_QUERY, {"first": 50}),
            gql(PAGE_QUERY, {"first": 50})),
        Row("REST /api/products?per_page=50&include=brand,offers,categories", Call("GET", REST_PAGE),
            Call("GET", REST_PAGE)),
        Row("REST /api/products/{id}", Call("GET", f"/api/products/{product_id}"),
            Call("GET", f"/api/products/{product_id}")),
        Row("GraphQL product(id)", gql(ONE_QUERY, {"id": product_id}), gql(ONE_QUERY, {"id": product_global_id})),
        # The page again, against a bare route that runs the same SQL through graphql-core (the GraphQL engine).
        Row("GraphQL page, bare route with graphql-core", gql(PAGE_QUERY, {"first": 50}, "/graphql-core"),
            gql(PAGE_QUERY, {"first": 50})),
    ]  # fmt: skip


def _body(url: str, call: Call, token: str | None) -> Any:
    headers = {"content-type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    r = httpx.request(call.method, url + call.path, content=call.body, headers=headers, timeout=30)
    r.raise_for_status()
    return r.json()["data"]


def check_same(bare_url: str, app_url: str, token: str, rows: list[Row]) -> None:
    for row in rows:
        bare, app = _body(bare_url, row.bare, None), _body(app_url, row.app, token)
        if bare != app:
            raise SystemExit(f"{row.name}: the bare route and Shopwright answer differently:\n{bare}\n{app}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL database to (re)create and seed")
    parser.add_argument("--seconds", type=float, default=5.0, help="per run and row")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--count-only", action="store_true", help="only the statement and round-trip counts")
    parser.add_argument("--only", choices=("all", "rest", "graphql"), default="all", help="which rows to measure")
    parser.add_argument("--tree", type=Path, default=ROOT, help="serve Shopwright from this copy of the source")
    parser.add_argument("--port", type=int, default=8761, help="Shopwright's port (the bare app's: the next one)")
    args = parser.parse_args(argv)
    if make_url(args.url).get_backend_name() != "postgresql":
        raise SystemExit("the read-path benchmark runs on PostgreSQL")

    t0 = time.perf_counter()
    seeded = seed(args.url)
    print(f"seeded {args.url} in {time.perf_counter() - t0:.1f}s", flush=True)
    token = seeded.api_key
    rows, counts = asyncio.run(count(args.url, token))
    dsn = make_url(args.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory() as data:
        app_argv = [
            PYTHON,
            "-c",
            "import sys; from shopwright.cli import main; sys.exit(main())",
            "serve",
            "--port",
            str(args.port),
            "--log-level",
            "WARNING",
        ]
        bare_argv = [PYTHON, "-m", "uvicorn", "benchmarks.bare:app", "--port", str(args.port + 1),
                     "--log-level", "warning", "--no-access-log"]  # fmt: skip
        bare_env = {"BENCH_DSN": dsn, "BENCH_WORKSPACE": seeded.workspace_id}
        with (
            server(
                app_argv, app_env(args.url, data), f"http://127.0.0.1:{args.port}", "/healthz", args.tree.resolve()
            ) as app,
            server(bare_argv, bare_env, f"http://127.0.0.1:{args.port + 1}", "/api/products?per_page=1") as bare,
        ):
            check_same(bare.url, app.url, token, rows)
            print("bare and Shopwright answer the same data for every row", flush=True)
            results: dict[tuple[str, str], list[Measured]] = {}
            if not args.count_only:
                _pin(LOAD_CORE)()
                for run in range(args.runs):
                    for row in rows:
                        if args.only != "all" and not row.name.lower().startswith(args.only):
                            continue
                        for side, target, call, tok in (("bare", bare, row.bare, None), ("app", app, row.app, token)):
                            measured = asyncio.run(
                                drive(target.url, call, tok, args.seconds, args.connections, target.pid)
                            )
                            if measured.errors:
                                raise SystemExit(f"{row.name} ({side}): {measured.errors} non-200 answers")
                            results.setdefault((row.name, side), []).append(measured)
                    print(f"run {run + 1}/{args.runs} done", flush=True)
    report(rows, counts, results)
    print(
        f"\n{args.runs} interleaved runs of {args.seconds:g}s, medians; {args.connections} connections; servers on "
        f"core {SERVER_CORE}, load on core {LOAD_CORE}; load average at the end {os.getloadavg()[0]:.2f}.\n"
        "cpu ms: the server's CPU time per request (the ratio in brackets is bare cpu / Shopwright cpu, what the "
        "ratio of rates would be with the core to itself); stmts, trips: SQL statements and asyncpg round trips "
        "per Shopwright request."
    )
    return 0


def report(
    rows: list[Row], counts: dict[str, tuple[float, float]], results: dict[tuple[str, str], list[Measured]]
) -> None:
    def med(row: Row, side: str) -> tuple[float, float | None]:
        found = results[(row.name, side)]
        cpus = [m.cpu_ms for m in found if m.cpu_ms is not None]
        return statistics.median(m.rps for m in found), statistics.median(cpus) if cpus else None

    print()
    head = f"{'row':<64} {'bare req/s':>10} {'Shopwright':>10} {'ratio':>6}  {'cpu ms bare/app':>17} {'(ratio)':>7}"
    print(f"{head} {'stmts':>5} {'trips':>5}")
    for row in rows:
        stmts, trips = counts[row.name]
        line = f"{row.name:<64}"
        if (row.name, "app") in results:
            (bare, bare_cpu), (app, app_cpu) = med(row, "bare"), med(row, "app")
            line += f" {bare:>10.0f} {app:>10.0f} {app / bare:>5.2f}x"
            if bare_cpu is not None and app_cpu is not None:
                line += f"  {bare_cpu:>7.2f} / {app_cpu:>7.2f} ({bare_cpu / app_cpu:>5.2f}x)"
        print(f"{line} {stmts:>5.1f} {trips:>5.1f}")
    if (rows[2].name, "app") in results and (rows[3].name, "app") in results:
        (rest, rest_cpu), (graphql, graphql_cpu) = med(rows[2], "app"), med(rows[3], "app")
        line = (
            f"{'one product by id: Shopwright GraphQL / Shopwright REST':<64} {'':>10} {'':>10} {graphql / rest:>5.2f}x"
        )
        if rest_cpu is not None and graphql_cpu is not None:
            line += f"  {'':>17} ({rest_cpu / graphql_cpu:>5.2f}x)"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
