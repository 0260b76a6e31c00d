"""Every row of the document's Quick Reference, hit with a valid key: routed and answered as documented (the
AI operations that need a provider answer 503 ``provider_required``, as the suite runs offline; the merchant
operations 422 while no merchant is connected); and the store surface serves exactly those rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from resolvers.context import AppServices
from resolvers.rest.store import SURFACE
from shopwright.settings import Settings
from tests.analytics.fixtures.tracker import request, site_of
from tests.catalog.helpers import OFFER_EXAMPLE
from tests.conftest import AppPool, feature_registry
from tests.store.conftest import UA, auth, make_key, ok
from tests.support.factories import WorkspaceInfo


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as the document writes it; {id} / {group} are filled from the fixtures below
    status: int  # what a valid request with a full-access key gets
    body: dict[str, Any] | None = None
    query: str = ""
    target: str = ""  # which fixture fills {id} ("" when the path has none)


# What an operation that needs an AI provider answers offline (the suite runs offline).
OFFLINE = 503


def crud(path: str, target: str, create: dict[str, Any], update: dict[str, Any], show: str = "") -> tuple[Row, ...]:
    """A resource's five rows: list, create, show, update, and delete (of a row made to be deleted)."""
    one = f"{path}/{{id}}"
    return (
        Row("GET", path, 200),
        Row("POST", path, 201, create),
        Row("GET", one, 200, query=show, target=target),
        Row("PATCH", one, 200, update, target=target),
        Row("DELETE", one, 204, target=f"doomed_{target}"),
    )


def analytics(reports: str) -> tuple[Row, ...]:
    """The analytics reads, ``reports`` separated by spaces (``{id}``: the visitor the fixtures tracked)."""
    return tuple(
        Row("GET", f"/api/analytics/{report}", 200, target="visitor" if "{id}" in report else "")
        for report in reports.split()
    )


# The Quick Reference, row by row, in the document's order.
QUICK_REFERENCE: tuple[Row, ...] = (
    Row("GET", "/api/store/status", 200),
    Row("GET", "/api/store/info", 200),
    Row("GET", "/api/store/stats", 200),
    Row("GET", "/api/store/warnings", 200),
    Row("GET", "/api/store/locales", 200),
    Row("POST", "/api/store/clean", 200, {"operations": ["expired_offers"]}),  # keeps the fixtures below
    Row("POST", "/api/store/regenerate-stock-texts", OFFLINE),
    Row("POST", "/api/store/pick-logo-icon", 200, {"niche": "vintage cameras"}),
    Row("POST", "/api/store/generate-logo", 200, {"niche": "vintage cameras"}),
    Row("GET", "/api/users", 200),
    Row("POST", "/api/users", 201, {"email": "new-user@example.com", "first_name": "New"}),
    Row("GET", "/api/users/login-link", 200, query="?email=jane@example.com"),
    Row("GET", "/api/users/{id}", 200, target="user"),
    Row("PATCH", "/api/users/{id}", 200, {"first_name": "Janet"}, target="user"),
    Row("GET", "/api/settings", 200),
    Row("PATCH", "/api/settings", 200, {"store_name": "My Updated Store"}),
    Row("GET", "/api/settings/{group}", 200, target="group"),
    Row("PATCH", "/api/settings/{group}", 200, {"niche": "tech"}, target="group"),
    *crud(
        "/api/products",
        "product",
        {"title": "Created Product"},
        {"subtitle": "Now with a subtitle"},
        show="?include=brand,offers,categories",
    ),
    Row("GET", "/api/products/{id}/offers", 200, target="product"),
    Row("GET", "/api/products/{id}/categories", 200, target="product"),
    Row("POST", "/api/products/{id}/categories", 200, {"category_ids": []}, target="product"),
    Row("GET", "/api/products/{id}/analytics", 200, target="product"),
    Row("GET", "/api/offers/merchants", 200),
    *crud("/api/offers", "offer", OFFER_EXAMPLE, {"price": 19.99}),
    Row("POST", "/api/offers/{id}/products", 200, {"product_ids": []}, target="offer"),
    Row("GET", "/api/categories/tree", 200),
    *crud("/api/categories", "category", {"title": "Phones"}, {"subtitle": "All of them"}),
    Row("GET", "/api/categories/{id}/products", 200, target="category"),
    *crud("/api/brands", "brand", {"title": "Globex"}, {"subtitle": "Since 1990"}),
    Row("GET", "/api/brands/{id}/products", 200, target="brand"),
    Row("POST", "/api/brands/clean", 200, {"niche": "vintage cameras"}),
    *crud("/api/articles", "article", {"title": "Best Cameras of 2026"}, {"subtitle": "Our picks"}),
    Row("POST", "/api/articles/{id}/fill-empty-images", 200, target="article"),
    *crud("/api/article-categories", "article_category", {"title": "Reviews"}, {"subtitle": "Hands-on"}),
    *crud("/api/pages", "page", {"title": "About Us", "key": "about"}, {"subtitle": "Who we are"}),
    *analytics(
        "visits/summary visits visitors visitors/{id} pages countries devices sources"
        " clicks/summary clicks checkouts/summary checkouts actions"
    ),
    Row("GET", "/api/data/openai-tokens", 200),
    Row("GET", "/api/data/stats", 200),
    # No merchant is connected here: both answer the store's 422 naming api_name (tests/merchants connect one).
    Row("POST", "/api/products/import-links", 422, {"links": ["B09V3KXJPB"]}),
    Row("POST", "/api/categories/fill", 422, {"api_name": "amazon", "locale": "us"}),
    Row("POST", "/api/categories/generate-list", OFFLINE, {"niche": "vintage cameras"}),
    Row("POST", "/api/articles/generate-topics", OFFLINE, {"count": 3}),
)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    """The service's own job kinds: the AI operations' rows start real jobs."""
    async with app_pool.use(settings, feature_registry) as application:
        yield application


async def _tracked_visitor(app: Starlette, client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo) -> str:
    """One page view through the Matomo tracker endpoint, written, and the visitor it made."""
    site_id = await site_of(services, ws.workspace_id)
    assert (await client.get(f"/matomo.php?{request('pageview_home', site_id)}")).status_code in (200, 204)
    await app.state.tracking.queue.flush()
    visitors = ok(await client.get("/api/analytics/visitors", headers=ws.headers()))["data"]
    return str(visitors[0]["id"])


async def _fixtures(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    async def create(path: str, body: dict[str, Any]) -> str:
        return str(ok(await client.post(path, headers=headers, json=body), 201)["data"]["id"])

    ids = {
        "user": await create("/api/users", {"email": "jane@example.com", "first_name": "Jane"}),
        "group": "store",
        "brand": await create("/api/brands", {"title": "Acme"}),
        "doomed_brand": await create("/api/brands", {"title": "Doomed Brand"}),
        "category": await create("/api/categories", {"title": "Electronics"}),
        "doomed_category": await create("/api/categories", {"title": "Doomed Category"}),
        "article": await create("/api/articles", {"title": "A Guide"}),
        "doomed_article": await create("/api/articles", {"title": "Doomed Article"}),
        "article_category": await create("/api/article-categories", {"title": "Guides"}),
        "doomed_article_category": await create("/api/article-categories", {"title": "Doomed Guides"}),
        "page": await create("/api/pages", {"title": "Contact"}),
        "doomed_page": await create("/api/pages", {"title": "Doomed Page"}),
    }
    ids["product"] = await create("/api/products", {"title": "Example Product", "brand_id": int(ids["brand"])})
    ids["doomed_product"] = await create("/api/products", {"title": "Doomed Product"})
    offer = {"merchant": "amazon", "merchant_offer_id": "B0X", "title": "Offer", "url_detail": "https://a.example/x"}
    ids["offer"] = await create("/api/offers", offer)
    ids["doomed_offer"] = await create("/api/offers", {**offer, "merchant_offer_id": "B0Y"})
    return ids


def _url(row: Row, ids: dict[str, str]) -> str:
    path = row.path
    if row.target:
        placeholder = "{group}" if "{group}" in path else "{id}"
        path = path.replace(placeholder, ids[row.target])
    return path + row.query


async def test_every_quick_reference_row_is_routed_and_answers(
    app: Starlette, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    # One key per request keeps the 60-a-minute limit out of this test (it has its own tests).
    async def fresh() -> dict[str, str]:
        return auth(await make_key(services, workspace, ["full"]))

    ids = await _fixtures(client, await fresh())
    ids["visitor"] = await _tracked_visitor(app, client, services, workspace)
    failures: list[str] = []
    for row in QUICK_REFERENCE:
        response = await client.request(row.method, _url(row, ids), headers=await fresh(), json=row.body)
        if response.status_code in (404, 405) or response.status_code != row.status:
            failures.append(f"{row.method} {row.path}: {response.status_code} {response.text[:200]}")
            continue
        if row.status == OFFLINE:
            body = response.json()
            assert body["message"] and "provider" in body["message"].lower(), (row, body)
        elif row.status == 422:
            body = response.json()
            assert body["message"] and body["errors"], (row, body)
        elif row.status == 204:
            assert response.content == b"", row
        else:
            body = response.json()
            # Every success body of the surface wraps its payload in "data"; PATCH /api/settings answers the
            # documented {"message": "Settings saved successfully."} (and the saved settings under "data").
            assert "data" in body, (row, body)
            if (row.method, row.path) == ("PATCH", "/api/settings"):
                assert body["message"] == "Settings saved successfully."
    assert not failures, "\n".join(failures)


async def test_quick_reference_rows_need_a_key_except_status(client: httpx.AsyncClient) -> None:
    """Without a key every row but the public status answers 401 "Unauthorized." (so none of them is a 404)."""
    for row in QUICK_REFERENCE:
        path = row.path.replace("{id}", "1").replace("{group}", "store") + row.query
        response = await client.request(row.method, path, headers=UA, json=row.body)
        if row.path == "/api/store/status":
            assert response.status_code == 200 and response.json() == {"data": {"up": True}}
        else:
            assert response.status_code == 401 and response.json() == "Unauthorized.", (row, response.text)


def test_every_store_route_is_in_the_quick_reference() -> None:
    """The other direction: the surface serves nothing under /api that the document does not list."""
    documented = {(row.method, row.path.replace("{group}", "{id}")) for row in QUICK_REFERENCE}
    served: set[tuple[str, str]] = {
        (op.method, (SURFACE.prefix + op.path).replace("{group}", "{id}")) for op in SURFACE.operations
    }
    assert served == documented
