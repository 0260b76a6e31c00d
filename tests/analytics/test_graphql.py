"""The GraphQL twin, ``analytics { ... }``: the same reports as the store API on the same seed, and its bad
input as ``INVALID_INPUT`` errors naming the fields."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.analytics.fixtures.tracker import site_of
from tests.analytics.test_endpoints import A, B, seed
from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql

RANGE = 'from: "2026-03-05", to: "2026-03-08"'


@pytest.fixture
async def seeded(services: AppServices, workspace: WorkspaceInfo) -> WorkspaceInfo:
    await seed(services, workspace)
    return workspace


async def query(client: httpx.AsyncClient, ws: WorkspaceInfo, text: str, **variables: Any) -> dict[str, Any]:
    status, body = await gql(client, "{ analytics { " + text + " } }", variables, token=ws.api_key)
    assert status == 200 and "errors" not in body, body
    result: dict[str, Any] = body["data"]["analytics"]
    return result


async def test_summaries(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    found = await query(
        client,
        seeded,
        f"""
        days: visitsSummary({RANGE}) {{ label uniqueVisitors visits actions }}
        weeks: visitsSummary(period: WEEK, {RANGE}) {{ label start uniqueVisitors visits actions }}
        checkoutsSummary({RANGE}) {{ allTime {{ checkouts revenue }} periods {{ label checkouts revenue }} }}
        clicksSummary({RANGE}) {{ totalClicks affiliateClicks periods {{ label clicks }} }}
        """,
    )
    assert found["days"] == [
        {"label": "2026-03-08", "uniqueVisitors": 1, "visits": 1, "actions": 2},
        {"label": "2026-03-07", "uniqueVisitors": 0, "visits": 0, "actions": 0},
        {"label": "2026-03-06", "uniqueVisitors": 1, "visits": 1, "actions": 1},
        {"label": "2026-03-05", "uniqueVisitors": 2, "visits": 2, "actions": 4},
    ]
    assert found["weeks"] == [
        {"label": "2026-03-02,2026-03-08", "start": "2026-03-02", "uniqueVisitors": 2, "visits": 4, "actions": 7}
    ]
    assert found["checkoutsSummary"]["allTime"] == {"checkouts": 1, "revenue": 49.9}
    assert [p["checkouts"] for p in found["checkoutsSummary"]["periods"]] == [1, 0, 0, 0]
    assert found["clicksSummary"] == {
        "totalClicks": 0,
        "affiliateClicks": 0,
        "periods": [{"label": d, "clicks": 0} for d in ("2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08")],
    }


async def test_breakdowns_and_lists(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    found = await query(
        client,
        seeded,
        f"""
        pages({RANGE}, first: 2) {{ totalCount pageInfo {{ hasNextPage }}
            edges {{ node {{ rank path hits bounceRate exitRate averageTimeOnPage }} }} }}
        countries({RANGE}) {{ edges {{ node {{ value name visits }} }} }}
        devices({RANGE}) {{ edges {{ node {{ value visits }} }} }}
        visits(countryCode: "de") {{ totalCount edges {{ node {{ deviceType visitNumber }} }} }}
        visitors {{ edges {{ node {{ matomoVisitorId visitsCount }} }} }}
        actions(type: EVENT) {{ totalCount }}
        checkouts {{ edges {{ node {{ orderId total items }} }} }}
        aiTokens {{ tokensUsed tokensLimit }}
        """,
    )
    pages = [e["node"] for e in found["pages"]["edges"]]
    assert found["pages"]["totalCount"] == 3 and found["pages"]["pageInfo"]["hasNextPage"] is True
    assert pages[0] == {"rank": 1, "path": "/", "hits": 3, "bounceRate": 33, "exitRate": 33, "averageTimeOnPage": 60}
    assert pages[1]["path"] == "/products/widget"
    countries = [e["node"] for e in found["countries"]["edges"]]
    assert countries == [
        {"value": "DE", "name": "Germany", "visits": 2},
        {"value": "US", "name": "United States", "visits": 2},
    ]
    assert {e["node"]["value"] for e in found["devices"]["edges"]} == {"Desktop", "Smartphone"}
    assert found["visits"]["totalCount"] == 2
    assert [e["node"]["visitNumber"] for e in found["visits"]["edges"]] == [2, 1]
    assert [e["node"]["matomoVisitorId"] for e in found["visitors"]["edges"]] == [B, A]
    assert found["actions"]["totalCount"] == 1
    [checkout] = [e["node"] for e in found["checkouts"]["edges"]]
    assert checkout["orderId"] == "order-1" and checkout["total"] == 49.9 and len(checkout["items"]) == 1
    assert found["aiTokens"] == {"tokensUsed": 0, "tokensLimit": None}


async def test_visitor_by_either_id(client: httpx.AsyncClient, seeded: WorkspaceInfo) -> None:
    listed = await query(client, seeded, "visitors { edges { node { id matomoVisitorId } } }")
    first = listed["visitors"]["edges"][0]["node"]
    for ref in (str(first["id"]), first["matomoVisitorId"]):
        found = await query(client, seeded, "visitor(id: $id) { id }".replace("$id", f'"{ref}"'))
        assert found["visitor"]["id"] == first["id"]
    _status, body = await gql(client, '{ analytics { visitor(id: "123456") { id } } }', token=seeded.api_key)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        ("length: 0", {"length"}),
        ("length: 5000", {"length"}),
        ('from: "2026-03-09", to: "2026-03-01"', {"to"}),
        ('from: "1900-01-01"', {"from"}),
        ('from: "2010-01-01", to: "2026-01-01"', {"from"}),
        ('period: MONTH, length: 0, from: "2026-03-09", to: "2026-03-01"', {"length", "to"}),
    ],
)
async def test_bad_input(client: httpx.AsyncClient, workspace: WorkspaceInfo, args: str, fields: set[str]) -> None:
    _status, body = await gql(
        client, f"{{ analytics {{ visitsSummary({args}) {{ label }} }} }}", token=workspace.api_key
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT" and set(error["extensions"]["fields"]) == fields, body


async def test_malformed_dates_and_periods_are_refused_by_the_schema(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    for args in ('from: "2026-13-01"', "period: YEAR", 'to: "yesterday"'):
        _status, body = await gql(
            client, f"{{ analytics {{ visitsSummary({args}) {{ label }} }} }}", token=workspace.api_key
        )
        assert body.get("data") is None and body["errors"], body


async def test_needs_the_analytics_read_permission(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    async with services.unit_of_work() as uow:
        created = await services.accounts(uow.session).create_api_key(
            workspace.principal, name="p", scopes=["products:read"]
        )
    _status, body = await gql(client, "{ analytics { aiTokens { tokensUsed } } }", token=created.plaintext)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_tracking_site_id_is_the_one_the_tracker_endpoint_takes(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    mine = (await query(client, workspace, "trackingSiteId"))["trackingSiteId"]
    assert mine == (await query(client, workspace, "trackingSiteId"))["trackingSiteId"]  # made once, then kept
    assert mine == await site_of(services, workspace.workspace_id)
    assert mine != (await query(client, other_workspace, "trackingSiteId"))["trackingSiteId"]
