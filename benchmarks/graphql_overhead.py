"""GraphQL per-request overhead, in process: ``python -m benchmarks.graphql_overhead [--profile] [--runs N]``.

Serves the app on PostgreSQL (``SHOPWRIGHT_BENCH_DATABASE_URL``, default a scratch database
``bench_graphql`` on the local server, created and migrated when missing) seeded with 2,000 products, 50
brands, 100 categories and 4,000 offers, and calls ``/graphql`` through an in-process ASGI client (no
network, no uvicorn: what is measured is the app's own work) with

- ``products(first: 50)`` with brand, categories and offers;
- one product by id.

For each it prints requests per second and CPU milliseconds per request (this process's CPU time; medians of
``--runs`` runs), the SQL statements one request costs (SQLAlchemy ``before_cursor_execute``), the Python
function calls one request makes and the share of the request's CPU spent parsing and validating the document
(cProfile, load-independent). ``--profile`` also prints the top of the profile; ``--freeze`` calls
``gc.freeze()`` once the app has started, as a server could (full collections then skip the start-up heap).
Last, it prints what graphql-core alone spends on ``read_paths``' page document with its data already in
memory (``engine_floor``): the least any GraphQL server on graphql-core spends on that page.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import statistics
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from graphql import build_schema, execute_sync, parse, validate
from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.bare import PAGE_QUERY, PAGE_SDL
from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_graphql"
PRODUCTS, BRANDS, CATEGORIES, OFFERS = 2000, 50, 100, 4000

PAGE = """query Page($first: Int!) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id productId slug title summary enabled reviewScore createdAt
      brand { id title slug }
      categories { id title slug }
      offers { id merchant title price currency stockAvailable urlDetail }
    } }
  }
}"""

ONE = """query One($id: ID!) {
  product(id: $id) {
    id productId slug title summary enabled reviewScore createdAt
    brand { id title slug }
    categories { id title slug }
    offers { id merchant title price currency stockAvailable urlDetail }
  }
}"""


def ensure_database(url: str) -> None:
    """A fresh scratch database (``dropdb`` and ``createdb``), migrated."""
    from shopwright.migrate import upgrade

    parsed = make_url(url)
    if parsed.drivername.startswith("postgresql"):
        args = ["-h", parsed.host or "127.0.0.1", "-U", parsed.username or "postgres"]
        if parsed.port:
            args += ["-p", str(parsed.port)]
        subprocess.run(
            ["dropdb", *args, "--if-exists", "--force", str(parsed.database)], capture_output=True, check=True
        )
        subprocess.run(["createdb", *args, str(parsed.database)], capture_output=True, check=True)
    upgrade(url)


async def seed(url: str, workspace_id: str) -> None:
    """2,000 products, 50 brands, 100 categories, 4,000 offers (two per product), two categories each."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Brand),
                [{"workspace_id": workspace_id, "slug": f"brand-{i}", "title": f"Brand {i}"} for i in range(BRANDS)],
            )
            await conn.execute(
                insert(Category),
                [
                    {"workspace_id": workspace_id, "slug": f"category-{i}", "title": f"Category {i}"}
                    for i in range(CATEGORIES)
                ],
            )
            brands = [
                r[0]
                for r in await conn.execute(
                    text("SELECT id FROM catalog_brands WHERE workspace_id = :w ORDER BY id"), {"w": workspace_id}
                )
            ]
            categories = [
                r[0]
                for r in await conn.execute(
                    text("SELECT id FROM catalog_categories WHERE workspace_id = :w ORDER BY id"), {"w": workspace_id}
                )
            ]
            await conn.execute(
                insert(Product),
                [
                    {
                        "workspace_id": workspace_id,
                        "brand_id": brands[i % BRANDS],
                        "slug": f"product-{i}",
                        "title": f"Product {i}",
                        "summary": f"A fine product number {i}.",
                        "review_score": 4.5,
                        "highlights": [],
                        "keywords": [],
                        "attributes": {},
                        "reviews": [],
                    }
                    for i in range(PRODUCTS)
                ],
            )
            products = [
                r[0]
                for r in await conn.execute(
                    text("SELECT id FROM catalog_products WHERE workspace_id = :w ORDER BY id"), {"w": workspace_id}
                )
            ]
            await conn.execute(
                insert(ProductCategory),
                [
                    {
                        "workspace_id": workspace_id,
                        "product_id": p,
                        "category_id": categories[(i + k) % CATEGORIES],
                        "position": k,
                    }
                    for i, p in enumerate(products)
                    for k in range(2)
                ],
            )
            await conn.execute(
                insert(Offer),
                [
                    {
                        "workspace_id": workspace_id,
                        "merchant": f"merchant-{i % 7}",
                        "merchant_offer_id": f"offer-{i}",
                        "title": f"Offer {i}",
                        "price": 10.0 + i % 50,
                        "currency": "EUR",
                        "features": [],
                        "images": [],
                        "url_detail": f"https://shop.example/{i}",
                    }
                    for i in range(OFFERS)
                ],
            )
            offers = [
                r[0]
                for r in await conn.execute(
                    text("SELECT id FROM catalog_offers WHERE workspace_id = :w ORDER BY id"), {"w": workspace_id}
                )
            ]
            await conn.execute(
                insert(OfferProduct),
                [
                    {"workspace_id": workspace_id, "offer_id": o, "product_id": products[i // 2]}
                    for i, o in enumerate(offers)
                ],
            )
    finally:
        await engine.dispose()


class Counter:
    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self.record)

    def record(self, *_: Any) -> None:
        self.count += 1


async def timed(call: Callable[[], Awaitable[None]], n: int) -> tuple[float, float]:
    """Requests a second and CPU milliseconds a request (this process's CPU time: moves less with the
    machine's load than the rate)."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await call()
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1000


def parse_validate_share(profile: cProfile.Profile) -> float:
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total: float = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    spent = 0.0
    for (filename, _, name), (_, _, _, cumulative, _) in raw.items():
        if name in ("parse", "validate") and filename.replace(os.sep, "/").endswith(
            ("graphql/language/parser.py", "graphql/validation/validate.py")
        ):
            spent += cumulative
    return spent / total


async def run(url: str, runs: int, requests: int, profile: bool, freeze: bool = False) -> None:
    from shopwright.app import build_app
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace

    data = Path(tempfile.mkdtemp(prefix="bench-graphql-"))
    settings = Settings(
        database_url=url,
        data_dir=data,
        secret_key="bench",
        redis_url=None,
        ai_provider="offline",
        graphql_cost_restore_rate=1e9,  # the bucket is taken and given back, never empty
    )
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        services = app.state.services
        workspace = await make_workspace(services, name="Bench")
        await seed(url, workspace.workspace_id)
        headers = workspace.headers()
        if freeze:  # what a server can do once started: the start-up heap out of every collection
            gc.collect()
            gc.freeze()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            first = await client.post("/graphql", json={"query": PAGE, "variables": {"first": 50}}, headers=headers)
            body = first.json()
            assert "errors" not in body, body
            edges = body["data"]["products"]["edges"]
            assert len(edges) == 50
            product_id = edges[0]["node"]["id"]

            async def page() -> None:
                r = await client.post("/graphql", json={"query": PAGE, "variables": {"first": 50}}, headers=headers)
                assert r.status_code == 200 and b'"errors"' not in r.content, r.text

            async def one() -> None:
                r = await client.post("/graphql", json={"query": ONE, "variables": {"id": product_id}}, headers=headers)
                assert r.status_code == 200 and b'"errors"' not in r.content, r.text

            cases: dict[str, tuple[Callable[[], Awaitable[None]], int]] = {
                "products(first: 50) + brand, categories, offers": (page, requests),
                "product(id:) + brand, categories, offers": (one, requests * 4),
            }
            counter = Counter(services.db.engine)
            for name, (call, n) in cases.items():
                await call()  # warm
                counter.count = 0
                await call()
                statements = counter.count
                rates, cpus = [], []
                for _ in range(runs):
                    rate, cpu = await timed(call, n)
                    rates.append(rate)
                    cpus.append(cpu)
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(10):
                    await call()
                profiler.disable()
                share = parse_validate_share(profiler)
                calls = pstats.Stats(profiler).total_calls // 10  # type: ignore[attr-defined]
                print(
                    f"{name:50} {statistics.median(rates):8.1f} req/s (median of {runs}: "
                    f"{', '.join(f'{r:.1f}' for r in rates)})  CPU ms/request {statistics.median(cpus):.2f}  "
                    f"statements/request {statements}  "
                    f"Python calls/request {calls}  parse+validate {share:5.1%} of CPU"
                )
                if profile:
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def engine_floor(runs: int = 3, requests: int = 200) -> float:
    """CPU milliseconds graphql-core alone takes for ``benchmarks.bare.PAGE_QUERY`` (50 products, each with a
    brand, two categories and two offers) on plain dicts already in memory: no HTTP, no SQL, the document parsed
    and validated once, every field graphql-core's default resolver. The least any GraphQL server on graphql-core
    spends on the page (best of ``runs``)."""
    schema = build_schema(PAGE_SDL)
    document = parse(PAGE_QUERY)
    assert not validate(schema, document)
    node = {
        "slug": "s", "title": "A product", "summary": "x" * 60, "enabled": True, "reviewScore": 4.5,
        "brand": {"brandId": 1, "title": "Brand"},
        "categories": [{"categoryId": i, "title": "Category"} for i in range(2)],
        "offers": [
            {"offerId": i, "title": "Offer", "price": 9.99, "currency": "EUR", "merchant": "m"} for i in range(2)
        ],
    }  # fmt: skip
    root = {"products": {"totalCount": 2000, "edges": [{"node": {"productId": i, **node}} for i in range(50)]}}
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for _ in range(requests):
            result = execute_sync(schema, document, root_value=root, variable_values={"first": 50})
            assert not result.errors
        best = min(best, (time.process_time() - started) / requests * 1000)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--freeze", action="store_true", help="gc.freeze() once started (full collections then skip the start-up heap)"
    )
    args = parser.parse_args(argv)
    url = os.environ.get("SHOPWRIGHT_BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    asyncio.run(run(url, args.runs, args.requests, args.profile, args.freeze))
    print(
        f"graphql-core alone, read_paths' page document on dicts in memory: {engine_floor():.2f} CPU ms/request "
        "(no HTTP, no SQL; the least a GraphQL server on graphql-core spends on that page)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
