"""A request holds at most one database connection at a time, so a small pool serves many concurrent requests
(none waits for a second connection while holding one), and an open subscription holds none."""

from __future__ import annotations

import asyncio

import pytest

from resolvers.context import RequestScope
from tests.conftest import live_app, make_test_registry
from tests.support.factories import make_workspace
from tests.support.graphql import TransportWS
from tests.support.serving import asgi_client

CREATE = """mutation($t: String!, $b: ID!) {
  createProduct(input: {title: $t, brandId: $b}) { product { title } userErrors { message } } }"""
EVENTS = "subscription { jobEvents { seq } }"


@pytest.fixture
def settings(settings_factory):
    """One connection per engine and nothing more: any request that needs two at once waits forever."""
    return settings_factory(db_pool_size=1, db_max_overflow=0)


async def test_concurrent_writes_over_rest_and_graphql_share_one_connection(app, services):
    workspace = await make_workspace(services)
    h = workspace.headers()
    async with asgi_client(app) as client:
        brand = (await client.post("/api/brands", headers=h, json={"title": "Acme"})).json()["data"]["id"]

        # Each names a brand, so each reads (the reference check) before it writes.
        async def rest(i: int) -> int:
            body = {"title": f"Rest {i}", "brand_id": brand}
            return (await client.post("/api/products", headers=h, json=body)).status_code

        async def graphql(i: int) -> int:
            body = {"query": CREATE, "variables": {"t": f"GraphQL {i}", "b": str(brand)}}
            response = await client.post("/graphql", headers=h, json=body)
            assert response.json()["data"]["createProduct"]["userErrors"] == [], response.json()
            return response.status_code

        async with asyncio.timeout(60):
            statuses = await asyncio.gather(*[rest(i) for i in range(12)], *[graphql(i) for i in range(12)])
    assert statuses == [201] * 12 + [200] * 12


async def test_open_subscriptions_hold_no_connection(settings, services):
    async with live_app(settings, make_test_registry) as live:
        workspace = await make_workspace(live.services)
        payload = {"Authorization": f"Bearer {workspace.api_key}"}
        sockets = [await TransportWS.connect(live.ws_url, payload) for _ in range(4)]
        try:
            for ws in sockets:
                await ws.subscribe(EVENTS)
            await asyncio.sleep(0.3)  # every subscription is streaming now
            async with asgi_client(live.app) as client, asyncio.timeout(20):
                response = await client.get("/api/brands", headers=workspace.headers())
            assert response.status_code == 200
        finally:
            for ws in sockets:
                await ws.close()


async def test_a_read_that_waits_for_another_read_of_its_scope_fails_at_once(services):
    async with RequestScope(services, lambda: None) as scope:

        async def nested(_session: object) -> None:
            await scope.read(lambda s: asyncio.sleep(0))

        with pytest.raises(RuntimeError, match="re-entered"):
            await scope.read(nested)
