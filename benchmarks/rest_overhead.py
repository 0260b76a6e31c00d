"""REST per-request overhead, in process: ``python -m benchmarks.rest_overhead [--profile] [--runs N]``.

The app on PostgreSQL (``--url``, default a scratch database ``bench_rest`` seeded by ``benchmarks.seed``:
2,000 products, 50 brands, 100 categories, 4,000 offers), called through an in-process ASGI client (no
network, no uvicorn: the app's own work, with the store's rate limit lifted through settings as
``benchmarks.read_paths`` does) with

- ``GET /api/products?per_page=50&include=brand,offers,categories`` (row 2);
- ``GET /api/products/{id}`` (the request stack around a small handler).

For each it prints the CPU time per request (``time.process_time``: the median of ``--runs`` runs of
``--requests`` requests) and the Python function calls per request (cProfile: does not depend on the machine's
load). ``--profile`` prints the top of each profile; ``--no-seed`` reuses a database seeded before (its key is
kept in a file in the system's temporary directory); ``--freeze`` calls ``gc.freeze()`` once the app has started,
as ``shopwright serve`` does (full collections then skip the start-up heap, which otherwise lands on whatever
allocates: the jsonb decoding, in the profile); ``--asgi`` calls the app directly, without the HTTP client
(whose work on a 154 kB body is otherwise part of the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from benchmarks.read_paths import in_process_settings
from benchmarks.seed import seed

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_rest"
PAGE = "/api/products?per_page=50&include=brand,offers,categories"


def _key_file(url: str) -> Path:
    return Path(tempfile.gettempdir()) / f"shopwright-bench-{make_url(url).database}.json"


def _asgi_call(app: Any, token: str) -> Callable[[str], Awaitable[None]]:
    """A request straight into the app (no client: only the app's own work is measured)."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call(path_and_query: str) -> None:
        path, _, query = path_and_query.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 1),
            "server": ("bench", 80),
        }
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        assert sent[0]["status"] == 200, sent

    return call


async def run(
    url: str, token: str, runs: int, requests: int, profile: bool, freeze: bool = False, asgi: bool = False
) -> None:
    from shopwright.app import build_app

    with tempfile.TemporaryDirectory() as data:
        settings = in_process_settings(url, Path(data), log_level="WARNING")
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                headers = {"Authorization": f"Bearer {token}"}
                first = await client.get("/api/products?per_page=1", headers=headers)
                first.raise_for_status()
                one = f"/api/products/{first.json()['data'][0]['id']}"
                paths = {"REST page of 50 + brand, offers, categories": PAGE, "REST one product": one}

                async def through_client(path: str) -> None:
                    r = await client.get(path, headers=headers)
                    assert r.status_code == 200, r.text

                call = _asgi_call(app, token) if asgi else through_client

                for path in paths.values():
                    for _ in range(5):
                        await call(path)  # warm-up
                if freeze:
                    gc.collect()
                    gc.freeze()
                for name, path in paths.items():
                    cpu: list[float] = []
                    for _ in range(runs):
                        t0 = time.process_time()
                        for _ in range(requests):
                            await call(path)
                        cpu.append((time.process_time() - t0) * 1000 / requests)
                    prof = cProfile.Profile()
                    prof.enable()
                    for _ in range(requests):
                        await call(path)
                    prof.disable()
                    stats = pstats.Stats(prof)
                    calls = stats.total_calls / requests  # type: ignore[attr-defined]
                    print(f"{name:<48} cpu {statistics.median(cpu):7.3f} ms/request   calls {calls:9.0f}/request")
                    if profile:
                        stats.sort_stats("tottime").print_stats(25)
            await app.state.services.db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once started, as `shopwright serve` does")
    parser.add_argument("--asgi", action="store_true", help="call the app directly (no HTTP client's work)")
    parser.add_argument("--no-seed", action="store_true", help="reuse the database and key seeded before")
    args = parser.parse_args(argv)
    keys = _key_file(args.url)
    if args.no_seed and keys.exists():
        token = json.loads(keys.read_text())["api_key"]
    else:
        token = seed(args.url).api_key
        keys.write_text(json.dumps({"api_key": token}))
    asyncio.run(run(args.url, token, args.runs, args.requests, args.profile, args.freeze, args.asgi))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
