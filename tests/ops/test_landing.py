"""The landing page at ``/``: it links GraphiQL, every surface's OpenAPI document, health and metrics, and each
link answers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from openapi_spec_validator import validate

from shopwright.app import SURFACES
from shopwright.settings import Settings
from tests.ops.support import client_for, links_of


async def test_the_page_links_every_openapi_document_and_each_is_valid(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    links = [address for _, address in links_of(response.text)]
    assert all(address.startswith("/") for address in links), links  # nothing from elsewhere
    documents = [f"{surface.prefix}/openapi.json" for surface in SURFACES]
    assert set(documents) <= set(links)
    for address in documents:
        document = await client.get(address)
        assert document.status_code == 200, address
        validate(document.json())


async def test_the_page_links_graphiql_health_and_metrics_and_each_answers(client: httpx.AsyncClient) -> None:
    links = {address for _, address in links_of((await client.get("/")).text)}
    assert {"/graphql", "/healthz", "/readyz", "/metrics"} <= links
    for address in sorted(links):
        response = await client.get(address, headers={"Accept": "text/html"})
        assert response.status_code == 200, address


async def test_a_client_asking_for_json_gets_the_same_links(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    index = response.json()
    assert index["graphql"] == "/graphql"
    assert (index["healthz"], index["readyz"], index["metrics"]) == ("/healthz", "/readyz", "/metrics")
    assert [s["openapi"] for s in index["surfaces"]] == [f"{s.prefix}/openapi.json" for s in SURFACES]
    html_links = {address for _, address in links_of((await client.get("/")).text)}
    assert {s["openapi"] for s in index["surfaces"]} <= html_links


async def test_without_metrics_the_page_does_not_link_them(settings_factory: Callable[..., Settings]) -> None:
    async with client_for(settings_factory(metrics_enabled=False)) as (client, _):
        links = {address for _, address in links_of((await client.get("/")).text)}
        assert "/metrics" not in links and "/graphql" in links
        assert "metrics" not in (await client.get("/", headers={"Accept": "application/json"})).json()
