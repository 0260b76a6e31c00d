"""Tracking ingestion through ``/matomo.php``: the Matomo JavaScript tracker's recorded requests become visitors,
visits, actions, clicks, checkouts and daily rollups; bad requests are answered as Matomo does and counted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from domain.analytics.models import (
    AnalyticsAction,
    AnalyticsCheckout,
    AnalyticsClick,
    AnalyticsDailyCheckouts,
    AnalyticsDailyClicks,
    AnalyticsDailyDimension,
    AnalyticsDailyPage,
    AnalyticsDailyVisitor,
    AnalyticsDailyVisits,
    AnalyticsHit,
    AnalyticsRejection,
    AnalyticsVisit,
    AnalyticsVisitor,
)
from domain.catalog.models import Offer, OfferProduct, Product
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.analytics.fixtures.tracker import CHROME, IPHONE, RECORDED_VISITOR, count, request, rows, site_of
from tests.conftest import AppPool, make_test_registry
from tests.support.factories import make_workspace
from tests.support.serving import asgi_client

HEADERS = {
    "User-Agent": CHROME,
    "CF-IPCountry": "US",
    "CF-Region-Code": "CA",
    "X-Forwarded-For": "198.51.100.23",
    "Accept-Language": "en-US,en;q=0.9",
}


@pytest.fixture
async def app(settings_factory: Callable[..., Settings], app_pool: AppPool) -> AsyncIterator[Starlette]:
    settings = settings_factory(
        analytics_country_header="CF-IPCountry",
        analytics_region_header="CF-Region-Code",
        analytics_trusted_proxies="127.0.0.1/32",
        analytics_flush_seconds=30,  # the tests flush themselves
    )
    async with app_pool.use(settings, make_test_registry) as application:
        application.state.tracking.tracking.sites.clear()  # site ids of emptied databases are used again
        yield application


async def flush(app: Starlette) -> None:
    await app.state.tracking.queue.flush()


async def track(client: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await client.get(f"/matomo.php?{query}", headers={**HEADERS, **headers})


async def test_recorded_tracker_requests_become_a_visit_with_actions_click_and_checkout(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    async with services.unit_of_work() as uow:
        product = Product(workspace_id=ws.workspace_id, slug="example-widget", title="Example Widget")
        offer = Offer(
            workspace_id=ws.workspace_id, merchant="custom", merchant_offer_id="W1", title="Widget",
            url_detail="https://shop.example.com/cart/add/1", price=24.99,
        )  # fmt: skip
        uow.session.add_all([product, offer])
        await uow.session.flush()
        uow.session.add(OfferProduct(offer_id=offer.id, product_id=product.id, workspace_id=ws.workspace_id))
        product_id, offer_id = product.id, offer.id
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    sent = [
        ("pageview_home", 0, {}),
        ("pageview_product", 60, {}),
        ("event_video", 120, {}),
        ("event_offer_click", 150, {"e_n": f"offer_{offer_id}"}),
        ("ping", 300, {}),
        ("ecommerce_order", 360, {}),
    ]
    for name, seconds, values in sent:
        r = await track(client, request(name, site, at=start + timedelta(seconds=seconds), replace=values))
        assert r.status_code == 204, name  # send_image=0, as matomo.js sends it
    # The same request as a POST form body, as matomo.js sends it with sendBeacon: a duplicate order is ignored.
    r = await client.post(
        "/matomo.php",
        content=request("ecommerce_order", site, at=start + timedelta(seconds=370), send_image="1"),
        headers={**HEADERS, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "image/gif" and r.content.startswith(b"GIF89a")
    await flush(app)

    assert await count(services, AnalyticsHit) == 7
    [visitor] = await rows(services, AnalyticsVisitor)
    assert (visitor.visitor_key, visitor.visits_count, visitor.actions_count) == (RECORDED_VISITOR, 1, 4)
    assert (visitor.clicks_count, visitor.checkouts_count) == (1, 1)
    [visit] = await rows(services, AnalyticsVisit)
    assert (visit.actions, visit.pageviews, visit.events, visit.duration_seconds) == (4, 2, 2, 370)
    assert (visit.entry_path, visit.exit_path) == ("/", "/products/example-widget")
    assert (visit.referrer_type, visit.referrer_name, visit.referrer_keyword) == ("search", "Google", "example widget")
    assert (visit.device_type, visit.browser, visit.os) == ("Desktop", "Chrome", "Windows")
    assert (visit.country_code, visit.region, visit.ip_address) == ("US", "CA", "198.51.100.0")
    assert (visit.resolution, visit.language, visit.visit_number) == ("1920x1080", "en-US", 1)
    actions = await rows(services, AnalyticsAction, order=AnalyticsAction.created_at)
    assert [a.type for a in actions] == ["pageview", "pageview", "event", "event"]
    assert actions[0].time_spent_seconds == 60 and actions[1].time_spent_seconds is None
    assert actions[1].product_id == product_id and actions[1].title == "Example Widget \N{EN DASH} Fresh Store"
    assert (actions[2].event_category, actions[2].event_action, actions[2].event_value) == ("Video", "Play", 12.0)
    [checkout] = await rows(services, AnalyticsCheckout)
    assert (checkout.order_id, checkout.revenue, checkout.items_count, checkout.country_code) == (
        "A10000123", 54.98, 2, "US",
    )  # fmt: skip
    assert checkout.items == [
        {"sku": "WID-1", "name": "Example Widget", "category": "Gadgets", "price": 24.99, "quantity": 2}
    ]
    assert (checkout.subtotal, checkout.tax, checkout.shipping, checkout.discount) == (49.98, 4.5, 5.0, 4.5)
    assert checkout.visit_id == visit.id
    [click] = await rows(services, AnalyticsClick)
    assert (click.origin, click.affiliate, click.offer_id, click.product_id) == ("tracker", False, offer_id, product_id)
    assert (click.price, click.revenue, click.visit_id) == (24.99, 0.0, visit.id)

    day = start.date()
    [daily] = await rows(services, AnalyticsDailyVisits)
    assert (daily.day, daily.visits, daily.visitors, daily.new_visitors) == (day, 1, 1, 1)
    assert (daily.actions, daily.pageviews, daily.events, daily.bounces, daily.duration_seconds) == (4, 2, 2, 0, 370)
    pages = {p.path: p for p in await rows(services, AnalyticsDailyPage)}
    home, widget = pages["/"], pages["/products/example-widget"]
    assert (home.hits, home.visits, home.visitors, home.entrances, home.bounces, home.exits) == (1, 1, 1, 1, 0, 0)
    assert home.time_spent_seconds == 60 and home.title == "Fresh Store \N{EN DASH} Home"
    assert (widget.hits, widget.entrances, widget.exits, widget.time_spent_seconds) == (1, 0, 1, 0)
    dims = {(d.dimension, d.value): d for d in await rows(services, AnalyticsDailyDimension)}
    for key in [("country", "US"), ("region", "US-CA"), ("device", "Desktop"), ("browser", "Chrome"),
                ("os", "Windows"), ("referrer_type", "search"), ("source", "Google")]:  # fmt: skip
        assert (dims[key].visits, dims[key].visitors, dims[key].actions) == (1, 1, 4), key
    [clicks] = await rows(services, AnalyticsDailyClicks)
    assert (clicks.affiliate, clicks.merchant, clicks.clicks, clicks.revenue) == (False, "custom", 1, 0.0)
    [checkouts] = await rows(services, AnalyticsDailyCheckouts)
    assert (checkouts.checkouts, checkouts.revenue, checkouts.items) == (1, 54.98, 2)
    async with services.read() as session:
        counters = (await session.execute(select(Product).where(Product.id == product_id))).scalar_one()
    assert (counters.analytics_visits, counters.total_clicks, counters.affiliate_clicks) == (1, 1, 0)


async def test_thirty_minutes_of_inactivity_start_a_new_visit(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)
    for minutes in (0, 29, 58, 90, 91):  # 29 and 29 minutes apart: one visit; then 32 minutes: a new one
        extra = {"new_visit": "1"} if minutes == 91 else {}
        await track(client, request("pageview_home", site, at=start + timedelta(minutes=minutes), replace=extra))
    # A heartbeat long after the last visit starts nothing.
    await track(client, request("ping", site, at=start + timedelta(minutes=200)))
    await flush(app)

    visits = await rows(services, AnalyticsVisit, order=AnalyticsVisit.first_action_at)
    assert [(v.visit_number, v.actions, v.duration_seconds) for v in visits] == [(1, 3, 58 * 60), (2, 1, 0), (3, 1, 0)]
    [visitor] = await rows(services, AnalyticsVisitor)
    assert visitor.visits_count == 3
    async with services.read() as session:
        totals = (
            await session.execute(
                select(
                    func.sum(AnalyticsDailyVisits.visits),
                    func.sum(AnalyticsDailyVisits.bounces),
                    func.sum(AnalyticsDailyVisits.new_visitors),
                    func.sum(AnalyticsDailyVisits.duration_seconds),
                )
            )
        ).one()
    assert tuple(totals) == (3, 2, 1, 58 * 60)
    assert await count(services, AnalyticsDailyVisitor) == len({v.day for v in visits})


async def test_one_visit_across_two_batches_keeps_rollups_right(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    await track(client, request("pageview_home", site, at=start))
    await flush(app)
    [daily] = await rows(services, AnalyticsDailyVisits)
    assert (daily.visits, daily.bounces, daily.actions) == (1, 1, 1)
    await track(client, request("pageview_product", site, at=start + timedelta(seconds=45)))
    await flush(app)
    [daily] = await rows(services, AnalyticsDailyVisits)
    assert (daily.visits, daily.visitors, daily.bounces, daily.actions, daily.duration_seconds) == (1, 1, 0, 2, 45)
    pages = {p.path: p for p in await rows(services, AnalyticsDailyPage)}
    assert (pages["/"].bounces, pages["/"].exits, pages["/"].time_spent_seconds) == (0, 0, 45)
    assert pages["/products/example-widget"].exits == 1
    first = (await rows(services, AnalyticsAction, order=AnalyticsAction.created_at))[0]
    assert first.time_spent_seconds == 45


async def test_referrer_types_devices_and_countries(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    at = datetime.now(UTC) - timedelta(minutes=5)
    await track(client, request("pageview_campaign", site, at=at), **{"User-Agent": IPHONE, "CF-IPCountry": "DE"})
    await track(client, request("pageview_social", site, at=at, ua=IPHONE), **{"CF-IPCountry": "XX"})
    await track(client, request("pageview_website", site, at=at))
    await track(client, request("pageview_home", site, at=at, _id="0000000000000001", drop=("urlref",)))
    await track(client, request("pageview_home", site, at=at, _id="0000000000000002"))
    await flush(app)
    visits = {v.referrer_type: v for v in await rows(services, AnalyticsVisit)}
    assert set(visits) == {"campaign", "social", "website", "direct", "search"}
    campaign = visits["campaign"]
    assert (campaign.referrer_name, campaign.referrer_keyword) == ("summer-sale", "banner")
    assert (campaign.device_type, campaign.os, campaign.country_code) == ("Smartphone", "iOS", "DE")
    assert (visits["social"].referrer_name, visits["social"].device_type) == ("Facebook", "Smartphone")
    assert visits["social"].country_code is None  # the proxy's "unknown"
    assert visits["website"].referrer_name == "blog.example.org"
    assert visits["direct"].referrer_name is None
    dims = {(d.dimension, d.value): d.visits for d in await rows(services, AnalyticsDailyDimension)}
    assert (
        dims[("source", "Direct Entry")] == 1 and dims[("country", "XX")] == 1 and dims[("device", "Smartphone")] == 2
    )


async def test_bulk_requests_count_tracked_and_invalid(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    at = datetime.now(UTC) - timedelta(minutes=10)
    requests = [
        "?" + request("pageview_home", site, at=at),
        "?" + request("pageview_product", site, at=at + timedelta(seconds=30)),
        "?" + request("event_video", site, at=at + timedelta(seconds=40)),
        "?" + request("pageview_home", site + 1000),  # no such site
        "?" + request("pageview_home", site, _id="not-a-visitor-id"),
    ]
    r = await client.post("/matomo.php", json={"requests": requests}, headers=HEADERS)
    assert r.status_code == 200
    assert r.json() == {"status": "success", "tracked": 3, "invalid": 2}
    assert r.headers["access-control-allow-origin"] == "*"
    await flush(app)
    assert await count(services, AnalyticsHit) == 3 and await count(services, AnalyticsAction) == 3
    rejected = {x.reason: x.count for x in await rows(services, AnalyticsRejection)}
    assert rejected == {"unknown_site": 1, "invalid": 1}


async def test_unknown_site_is_answered_as_matomo_does_and_counted(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    await make_workspace(services)
    r = await track(client, request("pageview_home", 987654, send_image="1"))
    assert r.status_code == 400 and r.headers["content-type"] == "image/gif" and r.content.startswith(b"GIF")
    assert r.headers["cache-control"] == "no-store"
    r = await track(client, request("pageview_home", 987654))  # send_image=0: Matomo's 204 wins
    assert r.status_code == 204
    await flush(app)
    assert await count(services, AnalyticsHit) == 0 and await count(services, AnalyticsVisit) == 0
    [rejected] = await rows(services, AnalyticsRejection)
    assert (rejected.reason, rejected.count) == ("unknown_site", 2)
    metrics = (await client.get("/metrics")).text
    assert 'shopwright_analytics_hits_total{outcome="unknown_site"}' in metrics


@pytest.mark.parametrize(
    "values",
    [
        {"_id": "xyz"},  # not 16 hex digits
        {"cid": "12345"},
        {"rec": "0"},
        {"idsite": "abc"},
        {"e_c": "Video", "e_a": ""},  # an event without an action
        {"e_c": "Video", "e_a": "Play", "e_v": "twelve"},
        {"idgoal": "0", "ec_id": "A1", "revenue": "lots"},
        {"idgoal": "0", "ec_id": "A1", "revenue": "10", "ec_items": "not json"},
        {"idgoal": "0", "ec_id": "A1", "revenue": "10", "ec_items": '[["SKU", "n", "c", "free", 1]]'},
        {"url": "javascript:alert(1)"},
        {"cdt": "2001-01-01 00:00:00"},  # older than 24 hours: Matomo wants token_auth
        {"cdt": "yesterday"},
        {"action_name": "x" * 9000},
        {"action_name": "a\x00b"},
    ],
)
async def test_malformed_parameters_are_rejected_and_nothing_is_written(
    app: Starlette, client: httpx.AsyncClient, services: AppServices, values: dict[str, str]
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    r = await track(client, request("pageview_home", site, send_image="1", replace=values))
    assert r.status_code == 400 and r.content.startswith(b"GIF")
    await flush(app)
    assert await count(services, AnalyticsHit) == 0 and await count(services, AnalyticsVisit) == 0
    [rejected] = await rows(services, AnalyticsRejection)
    assert (rejected.reason, rejected.count, rejected.day) == ("invalid", 1, datetime.now(UTC).date())


async def test_oversized_bulk_requests_are_400_and_write_nothing(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    one = "?" + request("pageview_home", site)
    r = await client.post("/matomo.php", json={"requests": [one] * 501}, headers=HEADERS)
    assert r.status_code == 400 and r.json()["status"] == "error" and "500" in r.json()["message"]
    huge = [one + "&pad=" + "x" * 4000] * 300  # about 1.3 MB
    r = await client.post("/matomo.php", json={"requests": huge}, headers=HEADERS)
    assert r.status_code == 400 and r.json()["status"] == "error"
    r = await client.post("/matomo.php", content=b'{"requests": "nope"}', headers=HEADERS)
    assert r.status_code == 400
    await flush(app)
    assert await count(services, AnalyticsHit) == 0


async def test_a_request_without_parameters_gets_matomos_notice(client: httpx.AsyncClient) -> None:
    r = await client.get("/matomo.php")
    assert r.status_code == 200 and "This resource is part of Matomo" in r.text


async def test_ip_masking_levels(settings_factory: Callable[..., Settings], app_pool: AppPool) -> None:
    settings = settings_factory(analytics_ip_mask_bytes=2, analytics_flush_seconds=30)
    async with app_pool.use(settings, make_test_registry) as application, asgi_client(application) as client:
        application.state.tracking.tracking.sites.clear()
        services: AppServices = application.state.services
        ws = await make_workspace(services)
        site = await site_of(services, ws.workspace_id)
        # No trusted proxy here: X-Forwarded-For is the client's word and is ignored.
        await track(client, request("pageview_home", site), **{"X-Forwarded-For": "198.51.100.23"})
        await application.state.tracking.queue.flush()
        [visit] = await rows(services, AnalyticsVisit)
        assert visit.ip_address == "127.0.0.0"
        assert visit.country_code is None  # no country header configured


def test_days_are_counted_in_the_store_timezone() -> None:
    from domain.analytics.repository import zone

    late = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    assert late.astimezone(zone("Europe/Berlin")).date() == date(2026, 3, 6)
    assert zone("Not/AZone").key == "UTC" and zone(None).key == "UTC"


async def test_visits_count_on_the_store_timezone_day(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    site = await site_of(services, ws.workspace_id)
    r = await client.patch("/api/settings", headers=ws.headers(), json={"store_timezone": "Pacific/Kiritimati"})
    assert r.status_code == 200, r.text
    at = datetime.now(UTC) - timedelta(minutes=3)
    await track(client, request("pageview_home", site, at=at))
    await flush(app)
    [daily] = await rows(services, AnalyticsDailyVisits)
    assert daily.day == (at + timedelta(hours=14)).date()  # UTC+14
    r = await client.patch("/api/settings", headers=ws.headers(), json={"store_timezone": "Mars/Olympus"})
    assert r.status_code == 422 and "store_timezone" in r.json()["errors"]


async def test_cli_prints_the_site_id(services: AppServices, settings: Settings) -> None:
    import json
    import os
    import sys

    ws = await make_workspace(services)
    env = {**os.environ, "SHOPWRIGHT_DATABASE_URL": str(settings.database_url), "SHOPWRIGHT_DATA_DIR": "/tmp"}
    args = [sys.executable, "-m", "shopwright.cli", "analytics", "site", "--workspace", ws.workspace_id, "--json"]
    process = await asyncio.create_subprocess_exec(*args, env=env, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    assert process.returncode == 0
    printed = json.loads(out)
    assert printed["site_id"] == await site_of(services, ws.workspace_id)
    assert printed["tracker_url"].endswith("/matomo.php")


async def test_country_from_a_maxmind_database_when_no_header_says(
    settings_factory: Callable[..., Settings], app_pool: AppPool, tmp_path: Path
) -> None:
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet  # type: ignore[import-untyped]

    writer = MMDBWriter(ip_version=6, database_type="GeoLite2-City", ipv4_compatible=True)
    writer.insert_network(
        IPSet(["198.51.100.0/24"]),
        {"country": {"iso_code": "FR"}, "subdivisions": [{"iso_code": "IDF"}], "city": {"names": {"en": "Paris"}}},
    )
    writer.to_db_file(str(tmp_path / "city.mmdb"))
    settings = settings_factory(
        analytics_geoip_db=tmp_path / "city.mmdb",
        analytics_country_header="CF-IPCountry",
        analytics_trusted_proxies="127.0.0.1",
        analytics_flush_seconds=30,
    )
    async with app_pool.use(settings, make_test_registry) as application, asgi_client(application) as client:
        application.state.tracking.tracking.sites.clear()
        services: AppServices = application.state.services
        ws = await make_workspace(services)
        site = await site_of(services, ws.workspace_id)
        forwarded = {"X-Forwarded-For": "198.51.100.23"}
        await client.get(f"/matomo.php?{request('pageview_home', site)}", headers=forwarded)  # the database says
        query = request("pageview_home", site, _id="00000000000000aa")
        await client.get(f"/matomo.php?{query}", headers={**forwarded, "CF-IPCountry": "JP"})  # the header wins
        await client.get(f"/matomo.php?{request('pageview_home', site, _id='00000000000000bb')}")  # 127.0.0.1: none
        await application.state.tracking.queue.flush()
        found = {
            v.ip_address + "/" + str(v.country_code): (v.region, v.city) for v in await rows(services, AnalyticsVisit)
        }
        assert found == {
            "198.51.100.0/FR": ("IDF", "Paris"),
            "198.51.100.0/JP": (None, None),
            "127.0.0.0/None": (None, None),
        }
