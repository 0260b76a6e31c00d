"""GraphQL cost limits over HTTP: ``extensions.cost`` on every answer, documents over the per-request maximum
refused before anything runs, the workspace's leaky bucket, the wall-clock limit per operation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from starlette.applications import Starlette

from domain.accounts.repository import AccountsRepository
from shopwright.settings import Settings
from tests.backbone.support import row_counts
from tests.catalog import helpers
from tests.conftest import running_app
from tests.graphql.documents import PRODUCTS_WITH_BRANDS, fan_out
from tests.support.calls import counted_calls
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.graphql import TransportWS, gql
from tests.support.serving import asgi_client

VIEWER = "{ viewer { workspace { name } } }"


def codes(body: dict[str, Any]) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors") or []}


@pytest.fixture
def app_with(settings_factory: Callable[..., Settings]) -> Callable[..., Any]:
    """An app of its own with the given settings, and an HTTP client on it."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
        async with running_app(settings_factory(**overrides)) as application, asgi_client(application) as client:
            yield application, client

    return make


async def test_an_ordinary_query_reports_its_cost_like_shopify(client, workspace):
    status, body = await gql(client, VIEWER, token=workspace.api_key)
    assert status == 200 and body["data"]["viewer"]["workspace"]["name"], body
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 and cost["actualQueryCost"] == 2
    throttle = cost["throttleStatus"]
    assert throttle["maximumAvailable"] == 1000.0 and throttle["restoreRate"] == 50.0
    assert 998 <= throttle["currentlyAvailable"] <= 1000


async def test_actual_cost_counts_what_came_back(client, services, workspace):
    acme = await helpers.brand(services, workspace, title="Acme")
    await helpers.product(services, workspace, title="With brand", brand_id=acme.id)
    await helpers.product(services, workspace, title="Without")
    _, body = await gql(client, PRODUCTS_WITH_BRANDS, token=workspace.api_key)
    assert body["data"]["products"]["totalCount"] == 2, body
    cost = body["extensions"]["cost"]
    # Requested: 2 + 10 x (node 1 + brand 1). Actual: 2 + two nodes + one brand (the other is null).
    assert cost["requestedQueryCost"] == 22 and cost["actualQueryCost"] == 5
    # The bucket is charged what was used: 1000 - 5, give or take the refill.
    assert 995 <= cost["throttleStatus"]["currentlyAvailable"] <= 1000


async def test_a_mutation_costs_ten_plus_its_payload(client, workspace):
    mutation = 'mutation { createBrand(input: {title: "Acme"}) { brand { title } userErrors { field } } }'
    _, body = await gql(client, mutation, token=workspace.api_key)
    assert body["data"]["createBrand"]["brand"]["title"] == "Acme", body
    assert body["extensions"]["cost"]["requestedQueryCost"] == 12
    assert body["extensions"]["cost"]["actualQueryCost"] == 11  # no userErrors came back


@pytest.mark.parametrize("fragments", [20, 30])
@pytest.mark.parametrize("leaf", ["kind", "workspace { name }"])
async def test_fragment_fan_out_is_refused_after_a_linear_walk(client, services, workspace, fragments, leaf):
    document = fan_out(fragments, leaf)
    assert len(document.encode()) < 1300
    before = await row_counts(services)
    # Refused after a linear walk: the Python calls the request makes (counted, not timed: a loaded machine
    # cannot fail it) stay in the thousands where following every spread would make 2**fragments.
    with counted_calls() as calls:
        status, body = await gql(client, document, token=workspace.api_key)
    assert status == 200 and body.get("data") is None and codes(body) == {"MAX_COST_EXCEEDED"}, body
    assert calls[0] < 100_000, calls  # about 4,000 + 600 a fragment here; 2**20 alone is over a million
    error = body["errors"][0]
    if "{" in leaf:
        assert error["extensions"]["cost"] > 1000 and error["extensions"]["maxCost"] == 1000
        assert body["extensions"]["cost"]["requestedQueryCost"] == error["extensions"]["cost"]
    else:  # scalars cost nothing: refused by the size it expands to
        assert error["extensions"]["fields"] > 10_000 and error["extensions"]["maxFields"] == 10_000
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    assert await row_counts(services) == before
    # Nothing ran, so nothing was taken from the bucket.
    _, body = await gql(client, VIEWER, token=workspace.api_key)
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] >= 998


async def test_fan_out_is_refused_for_anonymous_callers_too(client):
    status, body = await gql(client, fan_out(20, "workspace { name }"))
    assert status == 200 and codes(body) == {"MAX_COST_EXCEEDED"}, body


async def test_a_document_over_the_maximum_is_refused_before_anything_runs(app_with):
    async with app_with(graphql_max_cost=20) as (application, client):
        services = application.state.services
        ws = await make_workspace(services)
        before = await row_counts(services)
        two = """mutation {
          a: createBrand(input: {title: "A"}) { brand { id } userErrors { field } }
          b: createBrand(input: {title: "B"}) { brand { id } userErrors { field } }
        }"""
        status, body = await gql(client, two, token=ws.api_key)
        assert status == 200 and body["data"] is None and codes(body) == {"MAX_COST_EXCEEDED"}, body
        assert body["errors"][0]["message"] == ("Query cost is 24, which exceeds the single query max cost limit (20).")
        assert body["errors"][0]["extensions"] == {"code": "MAX_COST_EXCEEDED", "cost": 24, "maxCost": 20}
        assert body["extensions"]["cost"] == {"requestedQueryCost": 24, "actualQueryCost": None}
        assert await row_counts(services) == before
        status, body = await gql(client, two.replace("b: createBrand", "# b: createBrand"), token=ws.api_key)
        assert status == 200 and "errors" not in body and body["data"]["a"]["brand"]["id"], body


async def test_the_workspace_bucket_throttles_and_reports_what_is_left(app_with):
    # A bucket of 25 that refills a point a second; a page that requests 22 and uses 2.
    async with app_with(graphql_max_cost=25, graphql_cost_bucket_size=25, graphql_cost_restore_rate=1) as (
        application,
        client,
    ):
        services = application.state.services
        ws, other = await make_workspace(services), await make_workspace(services)
        left = []
        for _ in range(2):
            status, body = await gql(client, PRODUCTS_WITH_BRANDS, token=ws.api_key)
            assert status == 200 and body["data"]["products"]["totalCount"] == 0, body
            left.append(body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"])
        assert left == [23, 21]
        # 22 wanted, 21 left: refused before it runs, with the time to wait.
        response = await client.post(
            "/graphql", json={"query": PRODUCTS_WITH_BRANDS}, headers={"Authorization": f"Bearer {ws.api_key}"}
        )
        assert response.status_code == 429 and response.headers["retry-after"] == "1", response.text
        body = response.json()
        assert body["data"] is None and codes(body) == {"THROTTLED"}, body
        assert body["extensions"]["cost"] == {
            "requestedQueryCost": 22,
            "actualQueryCost": None,
            "throttleStatus": {"maximumAvailable": 25.0, "currentlyAvailable": 21, "restoreRate": 1.0},
        }
        # A cheaper document still fits; another workspace has a bucket of its own.
        status, body = await gql(client, VIEWER, token=ws.api_key)
        assert status == 200 and body["data"]["viewer"], body
        status, body = await gql(client, PRODUCTS_WITH_BRANDS, token=other.api_key)
        assert status == 200 and body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 23, body


async def test_anonymous_documents_have_no_bucket(client):
    status, body = await gql(client, "{ viewer { kind } }")
    assert status == 401 and codes(body) == {"UNAUTHENTICATED"}, body
    assert body["extensions"]["cost"] == {"requestedQueryCost": 1, "actualQueryCost": 1}


async def test_an_operation_over_the_wall_clock_limit_is_stopped(app_with, monkeypatch):
    original = AccountsRepository.list_memberships

    async def slow(self: AccountsRepository, workspace_id: str) -> Any:
        await asyncio.sleep(5)
        return await original(self, workspace_id)

    monkeypatch.setattr(AccountsRepository, "list_memberships", slow)
    async with app_with(graphql_operation_timeout_seconds=0.2) as (application, client):
        ws: WorkspaceInfo = await make_workspace(application.state.services)
        started = time.perf_counter()
        status, body = await gql(client, "{ workspace { members { role } } }", token=ws.api_key)
        assert time.perf_counter() - started < 2
        assert status == 200 and body["data"] is None and codes(body) == {"TIMEOUT"}, body
        assert body["errors"][0]["message"] == "The operation ran longer than 0.2 s and was stopped."
        assert body["extensions"]["cost"]["actualQueryCost"] == 2  # charged what it asked for
        # The app goes on answering.
        status, body = await gql(client, VIEWER, token=ws.api_key)
        assert status == 200 and body["data"]["viewer"]["workspace"]["name"], body


async def test_depth_and_aliases_count_through_fragments(app_with):
    async with app_with(graphql_max_depth=2) as (application, client):
        ws = await make_workspace(application.state.services)
        deep = "query Deep { viewer { ...W } } fragment W on Viewer { workspace { members { role } } }"
        status, body = await gql(client, deep, token=ws.api_key)
        assert status == 200 and codes(body) == {"GRAPHQL_VALIDATION_FAILED"}, body
        assert body["errors"][0]["message"] == "'Deep' exceeds maximum operation depth of 2"
        aliases = " ".join(f"a{i}: kind" for i in range(16))
        document = (
            f"query {{ viewer {{ ...A ...B }} }} fragment A on Viewer {{ {aliases} }} fragment B on Viewer {{ ...A }}"
        )
        status, body = await gql(client, document, token=ws.api_key)
        assert status == 200 and codes(body) == {"GRAPHQL_VALIDATION_FAILED"}, body
        assert body["errors"][0]["message"] == "32 aliases found. Allowed: 30"


async def test_graphiql_introspection_still_runs(client, workspace):
    status, body = await gql(client, get_introspection_query(descriptions=True), token=workspace.api_key)
    assert status == 200 and body["data"]["__schema"]["queryType"]["name"] == "Query", body.get("errors")
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0


async def test_queries_over_websocket_report_their_cost_too(live_server, workspace):
    async with TransportWS.opened(live_server.ws_url, {"Authorization": f"Bearer {workspace.api_key}"}) as ws:
        messages = await ws.messages(await ws.subscribe(VIEWER))
    assert [m["type"] for m in messages] == ["next", "complete"], messages
    payload = messages[0]["payload"]
    assert payload["data"]["viewer"]["workspace"]["name"], payload
    assert payload["extensions"]["cost"]["requestedQueryCost"] == 2
    assert payload["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 1000.0
