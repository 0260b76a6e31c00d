"""A page of products costs one statement per relation it includes, whatever its size (issue 13).

A GraphQL page (``products(first:)`` with brand, categories and offers) and a REST page
(``/api/products?include=brand,offers,categories``) each cost the statements of the bare page (authentication,
the total, the page itself) plus exactly one per relation, for 5 products as for 50. On PostgreSQL the
statements are also the same text for both sizes (``= ANY($1)``, not an ``IN`` list as long as the ids), so
each is prepared once per connection, and a request makes no round trip besides its statements: no pre-ping,
no ``BEGIN``/``ROLLBACK`` around reads, no new prepared statement for a new page size.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from benchmarks.counters import round_trips, statements
from resolvers.context import AppServices
from tests.catalog import helpers
from tests.support.factories import WorkspaceInfo

GRAPHQL_PAGE = """
query($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node { title brand { title } categories { title } offers { title merchantOfferId } } }
  }
}
"""
GRAPHQL_BARE = "query($first: Int!) { products(first: $first) { totalCount edges { node { title } } } }"
RELATIONS = 3  # brand, categories, offers
SIZES = (5, 50)

Request = Callable[[int], Awaitable[httpx.Response]]


@pytest.fixture
async def catalog(services: AppServices, workspace: WorkspaceInfo) -> None:
    """60 products over 12 brands and 4 categories, each with two categories and one offer: a page of 5 has
    fewer distinct brands than a page of 50, so the brand query gets a different number of ids."""
    brands = [await helpers.brand(services, workspace, title=f"Brand {i}") for i in range(12)]
    categories = [await helpers.category(services, workspace, title=f"Category {i}") for i in range(4)]
    for i in range(60):
        product = await helpers.product(
            services,
            workspace,
            title=f"Product {i}",
            brand_id=brands[i % 12].id,
            category_ids=[categories[i % 4].id, categories[(i + 1) % 4].id],
        )
        await helpers.offer(
            services, workspace, title=f"Offer {i}", merchant_offer_id=f"M{i}", product_ids=[product.id]
        )


def graphql(client: httpx.AsyncClient, token: str, query: str) -> Request:
    async def send(size: int) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return await client.post("/graphql", json={"query": query, "variables": {"first": size}}, headers=headers)

    return send


def rest(client: httpx.AsyncClient, token: str, include: str) -> Request:
    async def send(size: int) -> httpx.Response:
        params = {"per_page": str(size), **({"include": include} if include else {})}
        return await client.get("/api/products", params=params, headers={"Authorization": f"Bearer {token}"})

    return send


def _check(response: httpx.Response, size: int) -> None:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    items = body["data"]["products"]["edges"] if "products" in body["data"] else body["data"]
    assert len(items) == size


async def _statements(services: AppServices, send: Request, size: int) -> list[str]:
    with statements(services.db.engine) as sent:
        _check(await send(size), size)
    return sent


async def _assert_one_statement_per_relation(services: AppServices, page: Request, bare: Request) -> None:
    sent = {size: await _statements(services, page, size) for size in SIZES}
    plain = await _statements(services, bare, 50)
    assert len(plain) <= 3, plain  # authentication, the total, the page
    for size in SIZES:
        assert len(sent[size]) == len(plain) + RELATIONS, (size, sent[size], plain)
    if services.db.dialect == "postgresql":
        assert sent[5] == sent[50], "the same SQL text for every page size"


async def _assert_no_extra_round_trips(services: AppServices, page: Request) -> None:
    """After a page of 5 has prepared its statements, a page of 50 makes one round trip per statement."""
    if services.db.dialect != "postgresql":
        return
    for _ in range(3):
        _check(await page(5), 5)
    with statements(services.db.engine) as sent, round_trips() as trips:
        _check(await page(50), 50)
    assert len(trips) == len(sent), trips


@pytest.mark.usefixtures("catalog")
async def test_graphql_page_costs_one_statement_per_relation(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    page = graphql(client, workspace.api_key, GRAPHQL_PAGE)
    await _assert_one_statement_per_relation(services, page, graphql(client, workspace.api_key, GRAPHQL_BARE))
    await _assert_no_extra_round_trips(services, page)


@pytest.mark.usefixtures("catalog")
async def test_rest_page_costs_one_statement_per_relation(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    page = rest(client, workspace.api_key, "brand,offers,categories")
    await _assert_one_statement_per_relation(services, page, rest(client, workspace.api_key, ""))
    await _assert_no_extra_round_trips(services, page)


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("surface", ["rest", "graphql"])
async def test_a_request_checks_out_one_connection(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, surface: str
) -> None:
    """Authentication reads on the request's read session (``RequestScope(authenticate_on_read=True)``): a
    read, a page as a single product, over REST as over GraphQL's HTTP, checks out one connection, not one for
    the key and one for the read."""
    checkouts: list[object] = []

    def checkout(*_: object) -> None:
        checkouts.append(_)

    token = workspace.api_key
    page = rest(client, token, "brand,offers,categories") if surface == "rest" else graphql(client, token, GRAPHQL_PAGE)
    if surface == "rest":
        product = (await rest(client, token, "")(5)).json()["data"][0]["id"]
    else:
        first = graphql(client, token, "query($first: Int!) { products(first: $first) { edges { node { id } } } }")
        product = (await first(1)).json()["data"]["products"]["edges"][0]["node"]["id"]
    pool = services.db.engine.sync_engine.pool
    event.listen(pool, "checkout", checkout)
    try:
        _check(await page(5), 5)
        assert len(checkouts) == 1, checkouts
        checkouts.clear()
        if surface == "rest":
            one = await client.get(f"/api/products/{product}", headers={"Authorization": f"Bearer {token}"})
        else:
            query = "query($id: ID!) { product(id: $id) { title brand { title } } }"
            one = await client.post(
                "/graphql",
                json={"query": query, "variables": {"id": product}},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert one.status_code == 200 and "errors" not in one.json(), one.text
        assert len(checkouts) == 1, checkouts
    finally:
        event.remove(pool, "checkout", checkout)
