"""Bad input across the whole store surface, endpoint by endpoint: malformed JSON and non-object bodies on
every write, per_page over 100 on every list, unknown sort columns, titles over 255 characters and wrong
types: 422 with exactly ``{"message", "errors": {field: [str, ...]}}`` and nothing written. And the other
documented error bodies: 401 "Unauthorized.", 403 {"message"}, 404 {"message": ...}."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.store.conftest import auth, make_key, ok

NOT_FOUND = {"message": "The API resource was not found"}


def assert_422(response: httpx.Response, field: str | None = None) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for messages in body["errors"].values():
        assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    if field is not None:
        assert field in body["errors"], body


async def _seed(client: httpx.AsyncClient, h: dict[str, str]) -> dict[str, int]:
    async def create(path: str, body: dict[str, Any]) -> int:
        return int(ok(await client.post(path, headers=h, json=body), 201)["data"]["id"])

    ids = {
        "brand": await create("/api/brands", {"title": "Acme"}),
        "category": await create("/api/categories", {"title": "Electronics"}),
        "article": await create("/api/articles", {"title": "Guide"}),
        "article_category": await create("/api/article-categories", {"title": "Guides"}),
        "page": await create("/api/pages", {"title": "Contact"}),
        "user": await create("/api/users", {"email": "jane@example.com", "first_name": "Jane"}),
    }
    ids["product"] = await create("/api/products", {"title": "Example Product", "brand_id": ids["brand"]})
    ids["offer"] = await create(
        "/api/offers",
        {"merchant": "amazon", "merchant_offer_id": "B0X", "title": "Offer", "url_detail": "https://a.example/x"},
    )
    ok(await client.post(f"/api/offers/{ids['offer']}/products", headers=h, json={"product_ids": [ids["product"]]}))
    ok(
        await client.post(
            f"/api/products/{ids['product']}/categories", headers=h, json={"category_ids": [ids["category"]]}
        )
    )
    return ids


SNAPSHOT_PATHS = (
    "/api/products?include=brand,offers,categories",
    "/api/offers",
    "/api/categories",
    "/api/brands",
    "/api/articles",
    "/api/article-categories",
    "/api/pages",
    "/api/users",
    "/api/settings",
)


async def _snapshot(client: httpx.AsyncClient, h: dict[str, str], ids: dict[str, int]) -> list[Any]:
    """Everything a client can read back (without timestamps that a read does not change anyway)."""
    out = [ok(await client.get(path, headers=h))["data"] for path in SNAPSHOT_PATHS]
    out.append(ok(await client.get(f"/api/articles/{ids['article']}", headers=h))["data"])
    out.append(ok(await client.get(f"/api/offers/{ids['offer']}", headers=h))["data"])
    return out


def _writes(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("POST", "/api/store/clean"),
        ("POST", "/api/users"),
        ("PATCH", f"/api/users/{ids['user']}"),
        ("PATCH", "/api/settings"),
        ("PATCH", "/api/settings/store"),
        ("POST", "/api/products"),
        ("PATCH", f"/api/products/{ids['product']}"),
        ("POST", f"/api/products/{ids['product']}/categories"),
        ("POST", "/api/offers"),
        ("PATCH", f"/api/offers/{ids['offer']}"),
        ("POST", f"/api/offers/{ids['offer']}/products"),
        ("POST", "/api/categories"),
        ("PATCH", f"/api/categories/{ids['category']}"),
        ("POST", "/api/brands"),
        ("PATCH", f"/api/brands/{ids['brand']}"),
        ("POST", "/api/articles"),
        ("PATCH", f"/api/articles/{ids['article']}"),
        ("POST", "/api/article-categories"),
        ("PATCH", f"/api/article-categories/{ids['article_category']}"),
        ("POST", "/api/pages"),
        ("PATCH", f"/api/pages/{ids['page']}"),
    ]


@pytest.mark.parametrize("raw", [b'{"title": ', b"[1, 2]", b'"title"', b"12"])
async def test_malformed_or_non_object_json_on_every_write(client, services, workspace, raw):
    h = auth(workspace.api_key)
    ids = await _seed(client, h)
    before = await _snapshot(client, h, ids)
    for method, path in _writes(ids):
        # A fresh key per request: this walks more endpoints than the 60-a-minute budget of one key.
        key = await make_key(services, workspace, ["full"])
        r = await client.request(method, path, content=raw, headers={**auth(key), "Content-Type": "application/json"})
        assert_422(r)
        assert "Traceback" not in r.text, (method, path)
    assert await _snapshot(client, h, ids) == before


async def test_per_page_over_100_on_every_list(client, services, workspace):
    h = auth(workspace.api_key)
    ids = await _seed(client, h)
    lists = [
        "/api/users",
        "/api/products",
        f"/api/products/{ids['product']}/offers",
        "/api/offers",
        "/api/categories",
        f"/api/categories/{ids['category']}/products",
        "/api/brands",
        f"/api/brands/{ids['brand']}/products",
        "/api/articles",
        "/api/article-categories",
        "/api/pages",
    ]
    key = await make_key(services, workspace, ["full"])
    for path in lists:
        r = await client.get(f"{path}?per_page=101", headers=auth(key))
        assert_422(r, "per_page")
        assert r.json()["errors"]["per_page"] == ["The per page field must not be greater than 100."], path
        body = ok(await client.get(f"{path}?per_page=100", headers=auth(key)))
        assert set(body) == {"data", "links", "meta"} and body["meta"]["per_page"] == 100, path
        assert {"first", "last", "prev", "next"} <= set(body["links"]), path
        assert {"current_page", "from", "last_page", "per_page", "to", "total"} <= set(body["meta"]), path
        default = ok(await client.get(path, headers=auth(key)))
        assert default["meta"]["per_page"] == 15 and default["meta"]["current_page"] == 1, path


async def test_unknown_sort_columns_on_every_sortable_list(client, h):
    for path in ("/api/articles", "/api/article-categories", "/api/pages", "/api/products", "/api/offers",
                 "/api/categories", "/api/brands"):  # fmt: skip
        assert_422(await client.get(f"{path}?sort_by=password_hash", headers=h), "sort_by")
        assert_422(await client.get(f"{path}?sort_by=title&sort_dir=up", headers=h), "sort_dir")
        ok(await client.get(f"{path}?sort_by=title&sort_dir=asc", headers=h))


@pytest.mark.parametrize(
    ("method", "target", "body", "field"),
    [
        ("PATCH", "article_category", {"title": "x" * 256}, "title"),
        ("PATCH", "article_category", {"sort_order": "first"}, "sort_order"),
        ("PATCH", "article_category", {"enabled": "yes"}, "enabled"),
        ("PATCH", "page", {"title": "x" * 256}, "title"),
        ("PATCH", "page", {"enabled": "no"}, "enabled"),
        ("PATCH", "offer", {"title": "x" * 256}, "title"),
        ("PATCH", "offer", {"price": "cheap"}, "price"),
        ("PATCH", "offer", {"product_ids": "1"}, None),  # not an offer field: ignored, like Laravel's validated()
        ("PATCH", "brand", {"title": "x" * 256}, "title"),
        ("PATCH", "category", {"title": 5}, "title"),
        ("PATCH", "user", {"first_name": "x" * 256}, "first_name"),
        ("PATCH", "user", {"email": "not-an-email"}, "email"),
    ],
)
async def test_bad_updates_write_nothing(client, h, method, target, body, field):
    ids = await _seed(client, h)
    before = await _snapshot(client, h, ids)
    path = {
        "article_category": "/api/article-categories",
        "page": "/api/pages",
        "offer": "/api/offers",
        "brand": "/api/brands",
        "category": "/api/categories",
        "user": "/api/users",
    }[target]
    r = await client.request(method, f"{path}/{ids[target]}", headers=h, json=body)
    if field is None:
        assert r.status_code == 200, r.text
        return
    assert_422(r, field)
    assert await _snapshot(client, h, ids) == before


async def test_documented_error_bodies(client, services, workspace, other_workspace):
    h = auth(workspace.api_key)
    ids = await _seed(client, h)
    # 401: a bare JSON string.
    for headers in ({}, auth("swk_not-a-real-key"), {"Authorization": "Basic abc"}):
        r = await client.get("/api/products", headers=headers)
        assert r.status_code == 401 and r.json() == "Unauthorized."
    # 403: a read key writing; a per-resource key elsewhere.
    read = auth(await make_key(services, workspace, ["read"]))
    r = await client.patch(f"/api/products/{ids['product']}", headers=read, json={"title": "x"})
    assert r.status_code == 403 and r.json() == {"message": "This token does not have write access."}
    offers_only = auth(await make_key(services, workspace, ["offers:write"]))
    r = await client.get("/api/products", headers=offers_only)
    assert r.status_code == 403 and set(r.json()) == {"message"}
    # 404: unknown, another store's, and not-a-number ids all read the same.
    theirs = auth(other_workspace.api_key)
    for path, headers in (
        (f"/api/products/{ids['product']}", theirs),
        ("/api/products/999999", h),
        ("/api/products/abc", h),
        ("/api/settings/nope", h),
        (f"/api/users/{ids['user']}", theirs),
    ):
        r = await client.get(path, headers=headers)
        assert r.status_code == 404 and r.json() == NOT_FOUND, path
