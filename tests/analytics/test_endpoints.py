"""The store API's analytics endpoints on data recorded through the real ingestion: Matomo JavaScript tracker
requests (page views, an event, an ecommerce order) from two visitors over four days, one of them empty.

Visitor A (desktop Chrome, US, from Google) views ``/`` and ``/products/widget``, clicks a button and orders on
2026-03-05, then comes back to ``/products/widget`` from Facebook on 03-06. Visitor B (iPhone, DE, direct)
bounces on ``/`` late on 03-05 and views ``/`` and ``/about`` on 03-08. Nothing happens on 03-07.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from domain.ai.models import AiUsage
from domain.analytics.geo import Location
from domain.analytics.ingest import AcceptedHit, IngestPolicy, write_batch
from domain.analytics.repository import AnalyticsRepository
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
A, B = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2"
SHOP = "https://shop.example.com"
US, DE = Location("US", "US-CA", "San Francisco"), Location("DE", "DE-BE", "Berlin")

# What matomo.js sends (trackPageView, trackEvent, trackEcommerceOrder), less the cache buster and timing noise.
PAGEVIEW = "action_name={title}&idsite={site}&rec=1&r=482193&h=10&m=0&s=0&url={url}&urlref={ref}&_id={vid}&_idn=0&send_image=0&_refts=0&pv_id=Ab12Cd&pf_net=0&pf_srv=31&res=1920x1080&cookie=1&pdf=1&qt=0&realp=0&wma=0&fla=0&java=0&ag=0"  # noqa: E501
EVENT = "e_c=cta&e_a=click&e_n=hero-button&idsite={site}&rec=1&r=771201&h=10&m=3&s=0&url={url}&_id={vid}&_idn=0&send_image=0&pv_id=Ab12Cd&res=1920x1080&cookie=1"  # noqa: E501
ORDER = "idgoal=0&ec_id=order-1&revenue=49.90&ec_st=49.90&ec_items=%5B%5B%22SKU1%22%2C%22Widget%22%2C%22Gadgets%22%2C24.95%2C2%5D%5D&idsite={site}&rec=1&r=102938&h=10&m=5&s=0&url={url}&_id={vid}&_idn=0&send_image=0&res=1920x1080&cookie=1"  # noqa: E501


def params(template: str, **values: str) -> dict[str, str]:
    quoted = {k: urlencode({"v": v})[2:] for k, v in values.items()}
    return dict(parse_qsl(template.format(**quoted), keep_blank_values=True))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def hit(ws: str, when: datetime, query: dict[str, str], ua: str, where: Location) -> AcceptedHit:
    return AcceptedHit(
        uuid.uuid4().hex, ws, when, query, ip="203.0.113.0", user_agent=ua, language="en", location=where
    )


async def ingest(services: AppServices, hits: list[AcceptedHit]) -> None:
    async with services.unit_of_work() as uow:
        result = await write_batch(uow.session, hits, IngestPolicy(commission_rates={"amazon": 0.04}))
    assert result.invalid == 0 and result.written == len(hits)


async def site_of(services: AppServices, ws: WorkspaceInfo) -> str:
    async with services.unit_of_work() as uow:
        return str(await AnalyticsRepository(uow.session).site_of(ws.workspace_id))


def page(site: str, vid: str, path: str, title: str, ref: str = "") -> dict[str, str]:
    return params(PAGEVIEW, site=site, vid=vid, url=SHOP + path, title=title, ref=ref)


async def seed(services: AppServices, ws: WorkspaceInfo) -> None:
    """The story in the module's docstring, sent as the tracker sends it."""
    site, w = await site_of(services, ws), ws.workspace_id
    google, facebook = "https://www.google.com/search?q=widget", "https://www.facebook.com/"
    await ingest(
        services,
        [
            hit(w, at("2026-03-05T10:00:00"), page(site, A, "/", "Home", google), CHROME, US),
            hit(w, at("2026-03-05T10:01:00"), page(site, A, "/products/widget", "Widget"), CHROME, US),
            hit(
                w, at("2026-03-05T10:03:00"), params(EVENT, site=site, vid=A, url=SHOP + "/products/widget"), CHROME, US
            ),
            hit(w, at("2026-03-05T10:05:00"), params(ORDER, site=site, vid=A, url=SHOP + "/checkout"), CHROME, US),
            hit(w, at("2026-03-05T23:50:00"), page(site, B, "/", "Home"), IPHONE, DE),
        ],
    )
    await ingest(
        services, [hit(w, at("2026-03-06T09:00:00"), page(site, A, "/products/widget", "Widget", facebook), CHROME, US)]
    )
    await ingest(
        services,
        [
            hit(w, at("2026-03-08T12:00:00"), page(site, B, "/", "Home"), IPHONE, DE),
            hit(w, at("2026-03-08T12:02:00"), page(site, B, "/about", "About"), IPHONE, DE),
        ],
    )


RANGE = "from=2026-03-05&to=2026-03-08"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


@pytest.fixture
async def seeded(services: AppServices, workspace: WorkspaceInfo) -> WorkspaceInfo:
    await seed(services, workspace)
    return workspace


async def test_visits_summary_by_day_week_and_month(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    h = seeded.headers()
    days = ok(await client.get(f"/api/analytics/visits/summary?{RANGE}", headers=h))["data"]
    assert list(days) == ["2026-03-08", "2026-03-07", "2026-03-06", "2026-03-05"]  # newest first, as documented
    assert days["2026-03-05"] == {"nb_uniq_visitors": 2, "nb_visits": 2, "nb_actions": 4}
    assert days["2026-03-06"] == {"nb_uniq_visitors": 1, "nb_visits": 1, "nb_actions": 1}
    assert days["2026-03-07"] == {"nb_uniq_visitors": 0, "nb_visits": 0, "nb_actions": 0}  # no activity: zeros
    assert days["2026-03-08"] == {"nb_uniq_visitors": 1, "nb_visits": 1, "nb_actions": 2}
    # 2026-03-02 is a Monday: every visit is in one week, by two distinct visitors (not 1 + 2 + 0 + 1).
    weeks = ok(await client.get(f"/api/analytics/visits/summary?period=week&{RANGE}", headers=h))["data"]
    assert weeks == {"2026-03-02,2026-03-08": {"nb_uniq_visitors": 2, "nb_visits": 4, "nb_actions": 7}}
    # A week cut by from/to counts only the days inside (A's visits of 03-05 and 03-06 are outside).
    cut = ok(await client.get("/api/analytics/visits/summary?period=week&from=2026-03-08&to=2026-03-08", headers=h))
    assert cut["data"] == {"2026-03-02,2026-03-08": {"nb_uniq_visitors": 1, "nb_visits": 1, "nb_actions": 2}}
    months = ok(await client.get("/api/analytics/visits/summary?period=month&length=3&to=2026-03-31", headers=h))
    assert months["data"] == {
        "2026-03": {"nb_uniq_visitors": 2, "nb_visits": 4, "nb_actions": 7},
        "2026-02": {"nb_uniq_visitors": 0, "nb_visits": 0, "nb_actions": 0},
        "2026-01": {"nb_uniq_visitors": 0, "nb_visits": 0, "nb_actions": 0},
    }


async def test_pages_with_bounce_and_exit_rates(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    body = ok(await client.get(f"/api/analytics/pages?{RANGE}", headers=seeded.headers()))
    rows = {row["label"]: row for row in body["data"]}
    assert [row["label"] for row in body["data"]] == ["/", "/products/widget", "/about"]  # most views first
    assert [row["id"] for row in body["data"]] == [1, 2, 3]
    # "/": entered by three visits, one bounced (B on 03-05), one left from it (the same).
    assert rows["/"] | {"average_time_on_page": 0} == {
        "id": 1, "label": "/", "visitors": 3, "hits": 3, "average_time_on_page": 0,
        "bounce_rate": "33%", "exit_rate": "33%",
    }  # fmt: skip
    # Time on "/": 60 s (A, until the next page view) + 120 s (B on 03-08), over its three visits.
    assert rows["/"]["average_time_on_page"] == 60
    # The widget page: entered once (A on 03-06, a bounce); both visits that viewed it left from it.
    assert (rows["/products/widget"]["bounce_rate"], rows["/products/widget"]["exit_rate"]) == ("100%", "100%")
    assert (rows["/about"]["hits"], rows["/about"]["bounce_rate"], rows["/about"]["exit_rate"]) == (1, "0%", "100%")
    assert body["meta"]["total"] == 3 and body["meta"]["per_page"] == 15
    second = ok(await client.get(f"/api/analytics/pages?{RANGE}&per_page=2&page=2", headers=seeded.headers()))
    assert [(r["id"], r["label"]) for r in second["data"]] == [(3, "/about")]
    assert second["links"]["prev"] is not None and second["links"]["next"] is None


async def test_countries_devices_and_sources(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    h = seeded.headers()
    countries = ok(await client.get(f"/api/analytics/countries?{RANGE}", headers=h))["data"]
    # A tie on visits is broken by the code: DE before US.
    assert countries == [
        {"id": 1, "locale": "de", "country_name": "Germany", "visitors": 2, "visits": 2, "actions": 3,
         "visit_duration_seconds": 120},
        {"id": 2, "locale": "us", "country_name": "United States", "visitors": 2, "visits": 2, "actions": 4,
         "visit_duration_seconds": countries[1]["visit_duration_seconds"]},
    ]  # fmt: skip
    assert countries[1]["visit_duration_seconds"] >= 180  # A's first visit: 10:00 to at least 10:03
    devices = {d["device"]: d for d in ok(await client.get(f"/api/analytics/devices?{RANGE}", headers=h))["data"]}
    assert set(devices) == {"Desktop", "Smartphone"}
    assert (devices["Desktop"]["visits"], devices["Smartphone"]["visits"]) == (2, 2)
    sources = {s["source"]: s for s in ok(await client.get(f"/api/analytics/sources?{RANGE}", headers=h))["data"]}
    assert sources["Direct Entry"]["visits"] == 2 and sources["Google"]["visits"] == 1
    assert sum(s["visits"] for s in sources.values()) == 4 and len(sources) == 3
    # Outside the range: nothing.
    assert ok(await client.get("/api/analytics/countries?from=2026-03-09&to=2026-03-10", headers=h))["data"] == []


async def test_visits_visitors_and_actions_lists(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    h = seeded.headers()
    visits = ok(await client.get("/api/analytics/visits", headers=h))
    assert visits["meta"]["total"] == 4
    newest = visits["data"][0]
    assert set(newest) == {
        "id", "ip_address", "country_code", "region", "city", "visits", "actions", "events",
        "visit_duration_seconds", "referrer_type_name", "device_type", "browser", "first_action_at",
        "last_action_at",
    }  # fmt: skip
    assert (newest["country_code"], newest["device_type"], newest["actions"]) == ("DE", "Smartphone", 2)
    assert newest["visits"] == 2 and newest["referrer_type_name"] == "Direct Entry"
    assert newest["first_action_at"] == "2026-03-08T12:00:00.000000Z" and newest["visit_duration_seconds"] == 120
    assert newest["ip_address"] == "203.0.113.0"
    first_a = visits["data"][-1]
    assert (first_a["actions"], first_a["events"], first_a["referrer_type_name"]) == (3, 1, "Search Engines")
    us = ok(await client.get("/api/analytics/visits?country_code=us", headers=h))["data"]
    assert {v["country_code"] for v in us} == {"US"} and len(us) == 2
    phones = ok(await client.get("/api/analytics/visits?device_type=smartphone", headers=h))["data"]
    assert len(phones) == 2 and {v["device_type"] for v in phones} == {"Smartphone"}
    one_day = ok(await client.get("/api/analytics/visits?from=2026-03-06&to=2026-03-06", headers=h))["data"]
    assert [v["first_action_at"][:10] for v in one_day] == ["2026-03-06"]

    visitors = ok(await client.get("/api/analytics/visitors", headers=h))
    assert [v["matomo_visitor_id"] for v in visitors["data"]] == [B, A]  # the most recently seen first
    b = visitors["data"][0]
    assert (b["visits_count"], b["first_seen"], b["last_seen"]) == (2, "2026-03-05T23:50:00.000000Z", b["last_seen"])
    by_id = ok(await client.get(f"/api/analytics/visitors/{b['id']}", headers=h))["data"]
    by_matomo_id = ok(await client.get(f"/api/analytics/visitors/{B.upper()}", headers=h))["data"]
    assert by_id == by_matomo_id == b
    seen_0306 = ok(await client.get("/api/analytics/visitors?from=2026-03-06&to=2026-03-07", headers=h))["data"]
    assert [v["matomo_visitor_id"] for v in seen_0306] == [B, A]  # B: first seen before, last seen after
    seen_0309 = ok(await client.get("/api/analytics/visitors?from=2026-03-09", headers=h))["data"]
    assert seen_0309 == []

    actions = ok(await client.get("/api/analytics/actions", headers=h))
    assert actions["meta"]["total"] == 7  # six page views and one event; the order is a checkout, not an action
    events = ok(await client.get("/api/analytics/actions?type=event", headers=h))["data"]
    assert len(events) == 1 and events[0]["url"] == SHOP + "/products/widget"
    assert set(events[0]) == {"id", "visit_id", "visitor_id", "type", "url", "title", "time_spent_seconds",
                              "created_at"}  # fmt: skip
    of_visit = ok(await client.get(f"/api/analytics/actions?visit_id={newest['id']}", headers=h))["data"]
    assert [a["title"] for a in of_visit] == ["About", "Home"]
    assert of_visit[1]["time_spent_seconds"] == 120
    of_a = ok(await client.get(f"/api/analytics/actions?visitor_id={first_a_visitor(visitors, A)}", headers=h))
    assert of_a["meta"]["total"] == 4


def first_a_visitor(visitors: dict[str, Any], key: str) -> int:
    return next(int(v["id"]) for v in visitors["data"] if v["matomo_visitor_id"] == key)


async def test_checkouts(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    h = seeded.headers()
    listed = ok(await client.get("/api/analytics/checkouts", headers=h))
    assert listed["meta"]["total"] == 1
    order = listed["data"][0]
    assert (order["total"], order["currency"], order["country"], order["created_at"]) == (
        49.9, order["currency"], "US", "2026-03-05T10:05:00.000000Z"
    )  # fmt: skip
    assert order["items"] == [{"sku": "SKU1", "name": "Widget", "category": "Gadgets", "price": 24.95, "quantity": 2}]
    assert order["session_id"] is not None
    summary = ok(await client.get(f"/api/analytics/checkouts/summary?{RANGE}", headers=h))["data"]
    assert summary["all_time"] == {"checkouts": 1, "revenue": 49.9}
    assert summary["today"] == {"checkouts": 0, "revenue": 0.0}  # the seed is in the past
    assert list(summary["periods"]) == ["2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"]  # oldest first
    assert summary["periods"]["2026-03-05"] == {"checkouts": 1, "revenue": 49.9}
    assert summary["periods"]["2026-03-07"] == {"checkouts": 0, "revenue": 0.0}
    assert ok(await client.get("/api/analytics/checkouts?from=2026-03-06", headers=h))["data"] == []


async def test_default_range_ends_today_in_the_store_timezone(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    site, now = await site_of(services, workspace), datetime.now(UTC).replace(microsecond=0)
    await ingest(services, [hit(workspace.workspace_id, now, page(site, A, "/", "Home"), CHROME, US)])
    h = workspace.headers()
    days = ok(await client.get("/api/analytics/visits/summary", headers=h))["data"]
    assert len(days) == 30 and next(iter(days)) == now.date().isoformat()  # 30 days, today first
    assert days[now.date().isoformat()]["nb_visits"] == 1 and sum(d["nb_visits"] for d in days.values()) == 1
    weeks = ok(await client.get("/api/analytics/visits/summary?period=week&length=3", headers=h))["data"]
    assert len(weeks) == 3 and sum(w["nb_visits"] for w in weeks.values()) == 1
    months = ok(await client.get("/api/analytics/checkouts/summary?period=month&length=2", headers=h))["data"]
    assert list(months["periods"]) == [
        (now.date().replace(day=1) - timedelta(days=1)).isoformat()[:7],
        now.date().isoformat()[:7],
    ]


async def test_days_are_the_store_timezone_days(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    h = workspace.headers()
    ok(await client.patch("/api/settings/store", headers=h, json={"timezone": "America/New_York"}))
    site = await site_of(services, workspace)
    # 03:00 UTC on 03-06 is 22:00 on 03-05 in New York.
    await ingest(
        services, [hit(workspace.workspace_id, at("2026-03-06T03:00:00"), page(site, A, "/", "Home"), CHROME, US)]
    )
    days = ok(await client.get("/api/analytics/visits/summary?from=2026-03-05&to=2026-03-06", headers=h))["data"]
    assert (days["2026-03-05"]["nb_visits"], days["2026-03-06"]["nb_visits"]) == (1, 0)
    local_0305 = ok(await client.get("/api/analytics/actions?from=2026-03-05&to=2026-03-05", headers=h))
    local_0306 = ok(await client.get("/api/analytics/actions?from=2026-03-06", headers=h))
    assert (local_0305["meta"]["total"], local_0306["meta"]["total"]) == (1, 0)
    visits = ok(await client.get("/api/analytics/visits?to=2026-03-05", headers=h))["data"]
    assert len(visits) == 1


async def test_openai_tokens_count_this_month_from_the_ledger(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    now = datetime.now(UTC)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    async with services.unit_of_work() as uow:
        uow.session.add_all(
            [
                AiUsage(workspace_id=workspace.workspace_id, model="m", prompt_tokens=1000, completion_tokens=250,
                        created_at=month_start + timedelta(minutes=1)),
                AiUsage(workspace_id=workspace.workspace_id, model="m", prompt_tokens=70, completion_tokens=30,
                        created_at=now - timedelta(seconds=5)),
                AiUsage(workspace_id=workspace.workspace_id, model="m", prompt_tokens=5000, completion_tokens=5000,
                        created_at=month_start - timedelta(minutes=1)),  # last month
            ]
        )  # fmt: skip
    body = ok(await client.get("/api/data/openai-tokens", headers=workspace.headers()))["data"]
    next_month = (month_start + timedelta(days=32)).replace(day=1).date()
    assert body == {
        "tokens_used": 1350,
        "tokens_limit": None,
        "tokens_remaining": None,
        "resets_at": next_month.isoformat(),
    }


async def test_product_analytics_counts_recorded_views(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    h = workspace.headers()
    product = ok(await client.post("/api/products", headers=h, json={"title": "Widget", "slug": "widget"}), 201)
    pid = product["data"]["id"]
    await seed(services, workspace)
    counters = ok(await client.get(f"/api/products/{pid}/analytics", headers=h))["data"]
    assert counters["analytics_visits"] == 2  # A viewed /products/widget twice


async def test_analytics_need_the_analytics_read_permission(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    async with services.unit_of_work() as uow:
        accounts = services.accounts(uow.session)
        products = (await accounts.create_api_key(workspace.principal, name="p", scopes=["products:read"])).plaintext
        analytics = (await accounts.create_api_key(workspace.principal, name="a", scopes=["analytics:read"])).plaintext
    for path in ("/api/analytics/visits", "/api/analytics/visits/summary", "/api/data/openai-tokens"):
        assert (await client.get(path, headers=workspace.headers(products))).status_code == 403
        assert (await client.get(path, headers=workspace.headers(analytics))).status_code == 200
    assert (await client.get("/api/analytics/visits")).status_code == 401


async def test_other_workspaces_see_nothing(
    client: httpx.AsyncClient, seeded: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    h = other_workspace.headers()
    assert ok(await client.get("/api/analytics/visits", headers=h))["meta"]["total"] == 0
    days = ok(await client.get(f"/api/analytics/visits/summary?{RANGE}", headers=h))["data"]
    assert all(d["nb_visits"] == 0 for d in days.values())
    mine = ok(await client.get("/api/analytics/visitors", headers=seeded.headers()))["data"][0]
    assert (await client.get(f"/api/analytics/visitors/{mine['id']}", headers=h)).status_code == 404
    assert (await client.get(f"/api/analytics/visitors/{mine['matomo_visitor_id']}", headers=h)).status_code == 404


BAD = [
    ("visits/summary?period=year", "period", "The selected period is invalid. Use day, week or month."),
    ("visits/summary?length=0", "length", "The length field must be at least 1."),
    ("clicks/summary?length=-3", "length", "The length field must be at least 1."),
    ("checkouts/summary?length=100000", "length", "The length field must not be greater than 366."),
    ("visits/summary?length=ten", "length", "The length field must be an integer."),
    ("visits/summary?from=2026-03-09&to=2026-03-01", "to", "The to field must be a date after or equal to from."),
    ("visits?from=2026-03-09&to=2026-03-01", "to", "The to field must be a date after or equal to from."),
    ("pages?from=2026-13-01", "from", "The from field must be a valid date (ISO 8601)."),
    ("countries?to=03/05/2026", "to", "The to field must be a valid date (ISO 8601)."),
    ("actions?from=2026-02-30", "from", "The from field must be a valid date (ISO 8601)."),
    ("checkouts?from=0001-01-01", "from", "The from field must be between 1970-01-01 and 2999-12-31."),
    ("visits/summary?from=2020-01-01&to=2026-01-01", "from", None),  # more than 366 days
    ("visits?colour=red", "colour", None),
    ("devices?device=Desktop", "device", None),
    (
        "data/openai-tokens?period=day",
        "period",
        "The period parameter is not known here. This operation takes no query parameters.",
    ),
    ("visits?country_code=USA", "country_code", None),
    ("actions?type=click", "type", None),
    ("clicks?affiliate=maybe", "affiliate", "The affiliate field must be true or false."),
    ("clicks?product_id=abc", "product_id", "The product id field must be an integer."),
    ("actions?visit_id=0", "visit_id", "The visit id field must be at least 1."),
    ("visitors?per_page=500", "per_page", "The per page field must not be greater than 100."),
]


@pytest.mark.parametrize(("path", "field", "message"), BAD)
async def test_bad_input_is_a_422_in_the_store_dialect(
    client: httpx.AsyncClient,
    workspace: WorkspaceInfo,
    path: str,
    field: str,
    message: str | None,
) -> None:
    url = path if path.startswith("data/") else f"analytics/{path}"
    response = await client.get(f"/api/{url}", headers=workspace.headers())
    body = ok(response, 422)
    assert set(body) == {"message", "errors"} and list(body["errors"]) == [field], body
    if message is not None:
        assert body["errors"][field] == [message] and body["message"] == message


async def test_every_problem_is_reported_at_once(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    response = await client.get(
        "/api/analytics/visits/summary?period=hour&length=0&from=yesterday", headers=workspace.headers()
    )
    body = ok(response, 422)
    assert set(body["errors"]) == {"period", "length", "from"}
    assert body["message"].endswith("(and 2 more errors)")


async def test_unknown_visitor_and_malformed_ids_are_404(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    h = workspace.headers()
    for ref in ("999", "0", "abc", "ffffffffffffffff", "a1a1a1a1a1a1a1a1a1"):
        response = await client.get(f"/api/analytics/visitors/{ref}", headers=h)
        assert response.status_code == 404 and response.json() == {"message": "The API resource was not found"}
