"""End to end: the real Matomo JavaScript tracker's requests (``fixtures/matomo_js_requests.txt``) sent to
``/matomo.php``, an outbound click through ``/go/{offer_id}``, then every report of the store API on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from shopwright.settings import Settings
from tests.analytics.fixtures.tracker import CHROME, RECORDED_VISITOR, request, site_of
from tests.support.factories import WorkspaceInfo

STEPS = ("pageview_home", "pageview_product", "event_video", "event_offer_click", "ping", "ecommerce_order")


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(analytics_country_header="CF-IPCountry", analytics_commission_rates={"amazon": 0.04})


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


async def test_tracker_requests_then_every_report(
    client: httpx.AsyncClient, app: Starlette, workspace: WorkspaceInfo
) -> None:
    h = workspace.headers()
    product = ok(await client.post("/api/products", headers=h, json={"title": "Widget", "slug": "example-widget"}), 201)
    pid = product["data"]["id"]
    offers = {}
    for merchant, url in (
        ("amazon", "https://www.amazon.com/dp/B0GR52QJCF"),
        ("custom", "https://shop.example.com/buy"),
    ):
        body = {"merchant": merchant, "merchant_offer_id": f"{merchant}-1", "title": "Widget", "url_detail": url,
                "price": 24.99}  # fmt: skip
        offer = ok(await client.post("/api/offers", headers=h, json=body), 201)["data"]
        ok(await client.post(f"/api/offers/{offer['id']}/products", headers=h, json={"product_ids": [pid]}))
        offers[merchant] = offer["id"]

    site = await site_of(app.state.services, workspace.workspace_id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    browser = {"User-Agent": CHROME, "CF-IPCountry": "US"}
    for i, name in enumerate(STEPS):
        extra: dict[str, Any] = {"e_n": f"offer_{offers['custom']}"} if name == "event_offer_click" else {}
        query = request(name, site, at=start + timedelta(minutes=i), **extra)
        response = await client.get(f"/matomo.php?{query}", headers=browser)
        assert response.status_code in (200, 204), response.text
    await app.state.tracking.queue.flush()  # written (the queue flushes every second) before the visitor clicks out
    cookie = {"Cookie": f"_pk_id.{site}.1fff={RECORDED_VISITOR}.1764511327."}
    go = await client.get(
        f"/go/{offers['amazon']}", headers={**browser, **cookie, "Referer": "https://shop.example.com/"}
    )
    assert go.status_code == 302 and go.headers["location"] == "https://www.amazon.com/dp/B0GR52QJCF"

    today = datetime.now(UTC).date()
    span = f"from={(today - timedelta(days=2)).isoformat()}&to={today.isoformat()}"
    days = ok(await client.get(f"/api/analytics/visits/summary?{span}", headers=h))["data"]
    assert len(days) == 3 and sum(d["nb_visits"] for d in days.values()) == 1
    assert sum(d["nb_uniq_visitors"] for d in days.values()) == 1
    assert [d["nb_visits"] for d in days.values()].count(0) == 2  # the days without activity, as zeros
    actions = ok(await client.get("/api/analytics/actions", headers=h))
    # Two page views and two events; the ping and the order are no actions.
    assert actions["meta"]["total"] == sum(d["nb_actions"] for d in days.values()) == 4
    assert sorted(a["type"] for a in actions["data"]) == ["event", "event", "pageview", "pageview"]

    visits = ok(await client.get("/api/analytics/visits", headers=h))["data"]
    assert len(visits) == 1
    visit = visits[0]
    assert (visit["country_code"], visit["device_type"], visit["browser"]) == ("US", "Desktop", "Chrome")
    assert visit["referrer_type_name"] == "Search Engines" and visit["events"] == 2
    visitors = ok(await client.get("/api/analytics/visitors", headers=h))["data"]
    assert [(v["matomo_visitor_id"], v["visits_count"], v["clicks_count"]) for v in visitors] == [
        (RECORDED_VISITOR, 1, 2)
    ]

    pages = {p["label"]: p for p in ok(await client.get(f"/api/analytics/pages?{span}", headers=h))["data"]}
    assert set(pages) == {"/", "/products/example-widget"}
    assert (pages["/"]["hits"], pages["/"]["bounce_rate"], pages["/"]["exit_rate"]) == (1, "0%", "0%")
    assert pages["/products/example-widget"]["exit_rate"] == "100%"
    countries = ok(await client.get(f"/api/analytics/countries?{span}", headers=h))["data"]
    assert [(c["locale"], c["country_name"], c["visits"]) for c in countries] == [("us", "United States", 1)]
    devices = ok(await client.get(f"/api/analytics/devices?{span}", headers=h))["data"]
    assert [(d["device"], d["visits"], d["actions"]) for d in devices] == [("Desktop", 1, 4)]
    sources = ok(await client.get(f"/api/analytics/sources?{span}", headers=h))["data"]
    assert [(s["source"], s["visits"]) for s in sources] == [("Google", 1)]

    checkouts = ok(await client.get("/api/analytics/checkouts", headers=h))["data"]
    assert [(c["total"], c["country"], len(c["items"])) for c in checkouts] == [(54.98, "US", 1)]
    summary = ok(await client.get(f"/api/analytics/checkouts/summary?{span}", headers=h))["data"]
    ordered = start + timedelta(minutes=STEPS.index("ecommerce_order"))
    assert summary["all_time"] == {"checkouts": 1, "revenue": 54.98}
    same_day, same_month = ordered.date() == today, ordered.date().replace(day=1) == today.replace(day=1)
    assert summary["today"] == (summary["all_time"] if same_day else {"checkouts": 0, "revenue": 0.0})
    assert summary["this_month"] == (summary["all_time"] if same_month else {"checkouts": 0, "revenue": 0.0})
    assert sum(p["checkouts"] for p in summary["periods"].values()) == 1 and len(summary["periods"]) == 3

    clicks = ok(await client.get(f"/api/analytics/clicks/summary?{span}", headers=h))["data"]
    assert (clicks["total_clicks"], clicks["affiliate_clicks"], clicks["affiliate_revenue"]) == (2, 1, 1.0)
    assert clicks["by_merchant"] == {"amazon": {"clicks": 1, "revenue": 1.0}}  # 4 % of 24.99
    assert len(clicks["periods"]) == 3 and sum(p["clicks"] for p in clicks["periods"].values()) == 2
    assert sorted(p["clicks"] for p in clicks["periods"].values()) in ([0, 0, 2], [0, 1, 1])
    affiliate = ok(await client.get("/api/analytics/clicks?affiliate=true", headers=h))["data"]
    assert [(c["affiliate"], c["destination"], c["offer_id"], c["product_id"], c["price"]) for c in affiliate] == [
        (1, "amazon", offers["amazon"], pid, 24.99)
    ]
    assert affiliate[0]["source"] == "https://shop.example.com/"
    internal = ok(await client.get("/api/analytics/clicks?affiliate=0", headers=h))["data"]
    assert [(c["affiliate"], c["offer_id"]) for c in internal] == [(0, offers["custom"])]
    by_product = ok(await client.get(f"/api/analytics/clicks?product_id={pid}", headers=h))["meta"]["total"]
    by_offer = ok(await client.get(f"/api/analytics/clicks?offer_id={offers['amazon']}", headers=h))["meta"]["total"]
    assert (by_product, by_offer) == (2, 1)

    counters = ok(await client.get(f"/api/products/{pid}/analytics", headers=h))["data"]
    assert counters == {"analytics_visits": 1, "total_clicks": 2, "affiliate_clicks": 1}
