"""Analytics ingestion and summaries at scale: ``python -m benchmarks.analytics_ingest [--hits 1000000]``.

Loads ``--hits`` tracker hits spread over the last 30 days into PostgreSQL (a scratch database,
``SHOPWRIGHT_BENCH_ANALYTICS_DATABASE_URL``, default ``bench_analytics`` on the local server, dropped and
created afresh) through the real ingestion path: Matomo tracker parameters as ``/matomo.php`` accepts them, put
on the in-process ingestion queue and written by its batch writer (sessionisation, user agents, referrers,
rollups; ``--batch`` hits a transaction). The traffic: visitors coming back over the month, visits of one to
eight page views a minute or two apart over a few hundred pages, events, offer clicks and ecommerce orders,
a dozen browsers and devices, search, social, campaign, website and direct referrers, twenty countries.

Printed: ingestion hits/s, then the latency (median and p95 of ``--repeat`` calls) of each summary endpoint of
the store API over the 30 days, called over HTTP through the app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from domain.analytics.geo import Location
from domain.analytics.ingest import AcceptedHit, IngestPolicy
from domain.analytics.repository import AnalyticsRepository

DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_analytics"
DAYS = 30
WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
SAFARI = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
AGENTS = [
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {WEBKIT} Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {SAFARI} Version/17.4 Safari/605.1.15",
    f"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) {SAFARI} Version/17.4 Mobile/15E148 Safari/604.1",
    f"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) {SAFARI} Version/17.4 Mobile/15E148 Safari/604.1",
    f"Mozilla/5.0 (Linux; Android 14; Pixel 8) {WEBKIT} Chrome/124.0.0.0 Mobile Safari/537.36",
    f"Mozilla/5.0 (Linux; Android 14; SM-S918B) {WEBKIT} SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    f"Mozilla/5.0 (Linux; Android 13; SM-X710) {WEBKIT} Chrome/124.0.0.0 Safari/537.36",
    f"Mozilla/5.0 (X11; Linux x86_64) {WEBKIT} Chrome/124.0.0.0 Safari/537.36",
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {WEBKIT} Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {WEBKIT} Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
REFERRERS = [
    "", "", "", "https://www.google.com/search?q=widgets", "https://www.bing.com/search?q=widget+deals",
    "https://duckduckgo.com/?q=fresh+widgets", "https://l.facebook.com/", "https://t.co/abc", "https://www.reddit.com/r/widgets/",
    "https://blog.example.org/best-widgets", "https://news.example.net/deals",
]  # fmt: skip
COUNTRIES = ["US", "US", "US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "IT", "SE", "BR", "MX", "IN", "JP", "PL", "IE",
             "CH", "AT"]  # fmt: skip
SHOP = "https://shop.example.com"
SUMMARIES = [
    "/api/analytics/visits/summary?period=day&length=30",
    "/api/analytics/visits/summary?period=week&length=5",
    "/api/analytics/clicks/summary?period=day&length=30",
    "/api/analytics/checkouts/summary?period=day&length=30",
    "/api/analytics/pages?from={first}&to={last}",
    "/api/analytics/countries?from={first}&to={last}",
    "/api/analytics/devices?from={first}&to={last}",
    "/api/analytics/sources?from={first}&to={last}",
]


def traffic(total: int, workspace_id: str, site_id: int, seed: int = 7) -> Iterator[list[AcceptedHit]]:
    """``total`` hits over the last ``DAYS`` days, a day at a time, each day's hits in time order."""
    rng = random.Random(seed)
    visitors = [f"{rng.getrandbits(64):016x}" for _ in range(max(total // 12, 10))]
    pages = [f"/products/widget-{i}" for i in range(400)] + ["/", "/deals", "/about", "/cart", "/category/gadgets"]
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    per_day = total // DAYS
    order = 0
    for day in range(DAYS):
        start = today - timedelta(days=DAYS - 1 - day)
        hits: list[tuple[datetime, dict[str, str], str, str]] = []
        budget = per_day if day < DAYS - 1 else total - per_day * (DAYS - 1)
        while len(hits) < budget:
            visitor = rng.choice(visitors)
            agent = rng.choice(AGENTS)
            country = rng.choice(COUNTRIES)
            at = start + timedelta(seconds=rng.randrange(0, 86_000))
            referrer = rng.choice(REFERRERS)
            landing = rng.choice(pages)
            if rng.random() < 0.05:
                landing += "?mtm_campaign=spring-sale&mtm_kwd=banner"
            for step in range(min(rng.randint(1, 8), budget - len(hits))):
                url = SHOP + (landing if step == 0 else rng.choice(pages))
                params = {"idsite": str(site_id), "rec": "1", "_id": visitor, "url": url, "res": "1920x1080",
                          "action_name": url.rsplit("/", 1)[-1] or "Home", "send_image": "0"}  # fmt: skip
                if step == 0 and referrer:
                    params["urlref"] = referrer
                roll = rng.random()
                if step and roll < 0.02:
                    order += 1
                    price = round(rng.uniform(5, 120), 2)
                    params |= {"idgoal": "0", "ec_id": f"order-{order}", "revenue": str(price),
                               "ec_items": f'[["SKU{order % 50}","Widget","Gadgets",{price},1]]'}  # fmt: skip
                elif step and roll < 0.06:
                    kind = rng.choice(["internal", "affiliate"])
                    offer, value = f"offer_{rng.randint(1, 40)}", str(round(rng.uniform(5, 200), 2))
                    params |= {"e_c": "click", "e_a": kind, "e_n": offer, "e_v": value}
                elif step and roll < 0.10:
                    params |= {"e_c": "Video", "e_a": "Play", "e_n": "demo"}
                hits.append((at, params, agent, country))
                at += timedelta(seconds=rng.randint(10, 240))
        hits.sort(key=lambda h: h[0])
        yield [
            AcceptedHit(
                uuid.uuid4().hex,
                workspace_id,
                at,
                params,
                ip="203.0.113.0",
                user_agent=agent,
                language="en-US",
                location=Location(country, None, None),
            )
            for at, params, agent, country in hits
        ]


async def recreate(url: str) -> None:
    parsed = make_url(url)
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    await admin.dispose()


async def main(total: int, batch: int, repeat: int) -> None:
    import httpx

    from shopwright.app import build_app
    from shopwright.migrate import upgrade
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace
    from workers.analytics.queue import InProcessHitQueue

    url = os.environ.get("SHOPWRIGHT_BENCH_ANALYTICS_DATABASE_URL", DEFAULT_DB)
    await recreate(url)
    await asyncio.to_thread(upgrade, url)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(
            database_url=url, data_dir=Path(data), secret_key="bench-analytics", redis_url=None,
            ai_provider="offline", rate_limits={"store.all": 0}, db_pool_size=10,
        )  # fmt: skip
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            services = app.state.services
            ws = await make_workspace(services, name="Bench store")
            async with services.unit_of_work() as uow:
                site = await AnalyticsRepository(uow.session).site_of(ws.workspace_id)
            queue = InProcessHitQueue(services.db, IngestPolicy(commission_rates={"*": 0.04}), batch_size=batch)
            loaded = 0
            busy = 0.0
            print(f"Loading {total:,} hits over {DAYS} days in batches of {batch} ...", flush=True)
            for day_hits in traffic(total, ws.workspace_id, site):
                await queue.put(day_hits)
                started = time.perf_counter()
                loaded += await queue.flush()
                busy += time.perf_counter() - started
                print(f"  {loaded:>9,} hits  {loaded / busy:,.0f} hits/s", flush=True)
            print(f"Ingestion: {loaded:,} hits in {busy:.1f} s = {loaded / busy:,.0f} hits/s (batch writer, one "
                  f"transaction per {batch} hits, rollups included)")  # fmt: skip
            today = datetime.now(UTC).date()
            first, last = (today - timedelta(days=DAYS - 1)).isoformat(), today.isoformat()
            headers = {"Authorization": f"Bearer {ws.api_key}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                print(f"Summary endpoints over {DAYS} days ({repeat} calls each): median / p95")
                for template in SUMMARIES:
                    path = template.format(first=first, last=last)
                    timings = []
                    for _ in range(repeat + 1):
                        started = time.perf_counter()
                        r = await client.get(path, headers=headers)
                        timings.append((time.perf_counter() - started) * 1000)
                        if r.status_code != 200:
                            raise SystemExit(f"{path} answered {r.status_code}: {r.text[:300]}")
                    timings = sorted(timings[1:])  # the first call warms caches
                    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
                    print(f"  {path:<70} {statistics.median(timings):8.1f} ms {p95:8.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.hits, args.batch, args.repeat))
