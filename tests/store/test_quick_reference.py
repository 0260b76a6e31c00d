"""Every row of the document's Quick Reference, hit with a valid key: routed and answered as documented,
or 501 with a clear message for exactly the groups that come later (analytics, AI token usage and the
AI-driven operations); and the store surface serves exactly those rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from resolvers.context import AppServices
from resolvers.rest.store import SURFACE
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


DEFERRED = 501

# The Quick Reference, row by row, in the document's order.
QUICK_REFERENCE: tuple[Row, ...] = (
    Row("GET", "/api/store/status", 200),
    Row("GET", "/api/store/info", 200),
    Row("GET", "/api/store/stats", 200),
    Row("GET", "/api/store/warnings", 200),
    Row("GET", "/api/store/locales", 200),
    Row("POST", "/api/store/clean", 200, {"operations": ["expired_offers"]}),  # keeps the fixtures below
    Row("POST", "/api/store/regenerate-stock-texts", DEFERRED),
    Row("POST", "/api/store/pick-logo-icon", DEFERRED, {"niche": "vintage cameras"}),
    Row("POST", "/api/store/generate-logo", DEFERRED, {"niche": "vintage cameras"}),
    Row("GET", "/api/users", 200),
    Row("POST", "/api/users", 201, {"email": "new-user@example.com", "first_name": "New"}),
    Row("GET", "/api/users/login-link", 200, query="?email=jane@example.com"),
    Row("GET", "/api/users/{id}", 200, target="user"),
    Row("PATCH", "/api/users/{id}", 200, {"first_name": "Janet"}, target="user"),
    Row("GET", "/api/settings", 200),
    Row("PATCH", "/api/settings", 200, {"store_name": "My Updated Store"}),
    Row("GET", "/api/settings/{group}", 200, target="group"),
    Row("PATCH", "/api/settings/{group}", 200, {"niche": "tech"}, target="group"),
    Row("GET", "/api/products", 200),
    Row("POST", "/api/products", 201, {"title": "Created Product"}),
    Row("GET", "/api/products/{id}", 200, query="?include=brand,offers,categories", target="product"),
    Row("PATCH", "/api/products/{id}", 200, {"subtitle": "Now with a subtitle"}, target="product"),
    Row("DELETE", "/api/products/{id}", 204, target="doomed_product"),
    Row("GET", "/api/products/{id}/offers", 200, target="product"),
    Row("GET", "/api/products/{id}/categories", 200, target="product"),
    Row("POST", "/api/products/{id}/categories", 200, {"category_ids": []}, target="product"),
    Row("GET", "/api/products/{id}/analytics", 200, target="product"),
    Row("GET", "/api/offers/merchants", 200),
    Row("GET", "/api/offers", 200),
    Row(
        "POST",
        "/api/offers",
        201,
        {
            "merchant": "amazon",
            "merchant_offer_id": "B0GR52QJCF",
            "title": "Amazon Product",
            "url_detail": "https://www.amazon.com/dp/B0GR52QJCF",
        },
    ),
    Row("GET", "/api/offers/{id}", 200, target="offer"),
    Row("PATCH", "/api/offers/{id}", 200, {"price": 19.99}, target="offer"),
    Row("DELETE", "/api/offers/{id}", 204, target="doomed_offer"),
    Row("POST", "/api/offers/{id}/products", 200, {"product_ids": []}, target="offer"),
    Row("GET", "/api/categories/tree", 200),
    Row("GET", "/api/categories", 200),
    Row("POST", "/api/categories", 201, {"title": "Phones"}),
    Row("GET", "/api/categories/{id}", 200, target="category"),
    Row("PATCH", "/api/categories/{id}", 200, {"subtitle": "All of them"}, target="category"),
    Row("DELETE", "/api/categories/{id}", 204, target="doomed_category"),
    Row("GET", "/api/categories/{id}/products", 200, target="category"),
    Row("GET", "/api/brands", 200),
    Row("POST", "/api/brands", 201, {"title": "Globex"}),
    Row("GET", "/api/brands/{id}", 200, target="brand"),
    Row("PATCH", "/api/brands/{id}", 200, {"subtitle": "Since 1990"}, target="brand"),
    Row("DELETE", "/api/brands/{id}", 204, target="doomed_brand"),
    Row("GET", "/api/brands/{id}/products", 200, target="brand"),
    Row("POST", "/api/brands/clean", DEFERRED, {"niche": "vintage cameras"}),
    Row("GET", "/api/articles", 200),
    Row("POST", "/api/articles", 201, {"title": "Best Cameras of 2026"}),
    Row("GET", "/api/articles/{id}", 200, target="article"),
    Row("PATCH", "/api/articles/{id}", 200, {"subtitle": "Our picks"}, target="article"),
    Row("DELETE", "/api/articles/{id}", 204, target="doomed_article"),
    Row("POST", "/api/articles/{id}/fill-empty-images", 200, target="article"),
    Row("GET", "/api/article-categories", 200),
    Row("POST", "/api/article-categories", 201, {"title": "Reviews"}),
    Row("GET", "/api/article-categories/{id}", 200, target="article_category"),
    Row("PATCH", "/api/article-categories/{id}", 200, {"subtitle": "Hands-on"}, target="article_category"),
    Row("DELETE", "/api/article-categories/{id}", 204, target="doomed_article_category"),
    Row("GET", "/api/pages", 200),
    Row("POST", "/api/pages", 201, {"title": "About Us", "key": "about"}),
    Row("GET", "/api/pages/{id}", 200, target="page"),
    Row("PATCH", "/api/pages/{id}", 200, {"subtitle": "Who we are"}, target="page"),
    Row("DELETE", "/api/pages/{id}", 204, target="doomed_page"),
    Row("GET", "/api/analytics/visits/summary", DEFERRED),
    Row("GET", "/api/analytics/visits", DEFERRED),
    Row("GET", "/api/analytics/visitors", DEFERRED),
    Row("GET", "/api/analytics/visitors/{id}", DEFERRED, target="visitor"),
    Row("GET", "/api/analytics/pages", DEFERRED),
    Row("GET", "/api/analytics/countries", DEFERRED),
    Row("GET", "/api/analytics/devices", DEFERRED),
    Row("GET", "/api/analytics/sources", DEFERRED),
    Row("GET", "/api/analytics/clicks/summary", DEFERRED),
    Row("GET", "/api/analytics/clicks", DEFERRED),
    Row("GET", "/api/analytics/checkouts/summary", DEFERRED),
    Row("GET", "/api/analytics/checkouts", DEFERRED),
    Row("GET", "/api/analytics/actions", DEFERRED),
    Row("GET", "/api/data/openai-tokens", DEFERRED),
    Row("GET", "/api/data/stats", 200),
    Row("POST", "/api/products/import-links", DEFERRED, {"links": ["B09V3KXJPB"]}),
    Row("POST", "/api/categories/fill", DEFERRED, {"api_name": "amazon", "locale": "us"}),
    Row("POST", "/api/categories/generate-list", DEFERRED, {"niche": "vintage cameras"}),
    Row("POST", "/api/articles/generate-topics", DEFERRED, {"count": 3}),
)


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
        "visitor": "1",
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
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    # One key per request keeps the 60-a-minute limit out of this test (it has its own tests).
    async def fresh() -> dict[str, str]:
        return auth(await make_key(services, workspace, ["full"]))

    ids = await _fixtures(client, await fresh())
    failures: list[str] = []
    for row in QUICK_REFERENCE:
        response = await client.request(row.method, _url(row, ids), headers=await fresh(), json=row.body)
        if response.status_code in (404, 405) or response.status_code != row.status:
            failures.append(f"{row.method} {row.path}: {response.status_code} {response.text[:200]}")
            continue
        if row.status == DEFERRED:
            body = response.json()
            later = "analytics" if row.path.startswith(("/api/analytics/", "/api/data/openai-tokens")) else "AI"
            arrives = {"analytics": "the store analytics", "AI": "the AI-driven store operations"}[later]
            assert set(body) == {"message"}, (row, body)
            assert "not available yet" in body["message"] and f"arrives with {arrives}." in body["message"], (row, body)
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
