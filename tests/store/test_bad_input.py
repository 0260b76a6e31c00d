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


# --- the store surface's words for every problem at once ------------------------------------------------------


async def test_every_invalid_field_at_once_including_unknown_references(client, h, oh):
    mine = ok(await client.post("/api/article-categories", headers=h, json={"title": "Mine"}), 201)["data"]["id"]
    theirs = ok(await client.post("/api/article-categories", headers=oh, json={"title": "Theirs"}), 201)["data"]["id"]
    r = await client.post(
        "/api/articles",
        headers=h,
        json={
            "title": "x" * 256,
            "enabled": "maybe",
            "published_at": "2026-13-01",
            "product_category_id": 999999,
            "article_categories": [mine, 999999, theirs],
            "hero_image_url": 5,
        },
    )
    assert_422(r)
    assert r.json() == {
        "message": "The title field must not be greater than 255 characters. (and 6 more errors)",
        "errors": {
            "title": ["The title field must not be greater than 255 characters."],
            "enabled": ["The enabled field must be true or false."],
            "published_at": ["The published at field must be a valid date (ISO 8601)."],
            "product_category_id": ["The selected product category id is invalid."],
            "article_categories.1": ["The selected article_categories.1 is invalid."],
            "article_categories.2": ["The selected article_categories.2 is invalid."],
            "hero_image_url": ["The hero image url field must be a string."],
        },
    }
    r = await client.post(
        "/api/article-categories", headers=h, json={"title": "", "parent_id": theirs, "sort_order": None}
    )
    assert r.json()["errors"] == {
        "title": ["The title field is required."],
        "parent_id": ["The selected parent id is invalid."],
        "sort_order": ["The sort order field must not be null."],
    }
    assert ok(await client.get("/api/articles", headers=h))["meta"]["total"] == 0


async def test_state_rules_in_the_store_words(client, h):
    parent = ok(await client.post("/api/article-categories", headers=h, json={"title": "Parent"}), 201)["data"]
    child = {"title": "Child", "parent_id": parent["id"]}
    child = ok(await client.post("/api/article-categories", headers=h, json=child), 201)["data"]
    r = await client.patch(
        f"/api/article-categories/{parent['id']}", headers=h, json={"parent_id": child["id"], "slug": "child"}
    )
    assert r.json() == {
        "message": "The slug has already been taken. (and 1 more error)",  # the fields' order, as every 422
        "errors": {
            "parent_id": ["The parent id cannot be the category itself or one of its descendants."],
            "slug": ["The slug has already been taken."],
        },
    }
    r = await client.post("/api/article-categories", headers=h, json={"title": "x", "slug": "%%%"})
    assert r.json()["errors"] == {"slug": ["The slug field must contain letters or digits."]}


async def test_ai_flags_start_jobs_only_once_the_body_checks_out(client, h):
    r = await client.post("/api/articles", headers=h, json={"title": "x", "generate_ai_content": "perhaps"})
    assert_422(r, "generate_ai_content")
    assert r.json()["errors"]["generate_ai_content"] == ["The generate ai content field must be true or false."]
    flagged = {"title": "x", "generate_ai_content": True, "article_categories": [999999]}
    r = await client.post("/api/articles", headers=h, json=flagged)
    assert_422(r, "article_categories.0")
    r = await client.post("/api/pages", headers=h, json={"title": "x", "generate_images": "often"})
    assert r.json()["errors"] == {
        "generate_images": ["The generate images field must be a boolean or an array of listing, hero, social."]
    }
    r = await client.post("/api/articles", headers=h, json={"title": "x", "image_source": "paint"})
    assert_422(r, "image_source")
    assert ok(await client.get("/api/articles", headers=h))["meta"]["total"] == 0
    # A good body with a flag is written, and its job started with it (tests/store_ai/ follow the jobs).
    r = await client.post("/api/articles", headers=h, json={"title": "x", "generate_images": ["hero"]})
    assert r.status_code == 201 and r.json()["meta"]["ai_jobs"][0]["slots"] == ["hero"]


async def test_every_bad_list_parameter_at_once(client, h):
    r = await client.get("/api/articles?page=0&per_page=101&sort_by=views&sort_dir=up&enabled=maybe", headers=h)
    assert r.json() == {
        "message": "The page field must be an integer of at least 1. (and 4 more errors)",
        "errors": {
            "page": ["The page field must be an integer of at least 1."],
            "per_page": ["The per page field must not be greater than 100."],
            "sort_by": [
                "The selected sort by is invalid. Use one of: created_at, enabled, generated, id, published_at, "
                "slug, title, updated_at."
            ],
            "sort_dir": ["The selected sort dir is invalid. Use asc or desc."],
            "enabled": ["The enabled field must be true or false."],
        },
    }


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/api/articles?page=99999999999999999999", "page", "The page field must not be greater than 10000000."),
        ("/api/pages?per_page=99999999999999999999", "per_page", "The per page field must not be greater than 100."),
        ("/api/users?page=%C2%B2", "page", "The page field must be an integer of at least 1."),
        ("/api/articles?article_category_id=%C2%B2", "article_category_id",
         "The article category id field must be an integer."),
    ],
)  # fmt: skip
async def test_huge_or_unicode_numbers_in_lists_are_bad_input(client, h, path, field, message):
    r = await client.get(path, headers=h)
    assert r.status_code == 422 and r.json()["errors"] == {field: [message]}


@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "99999999999", "0", "-1", "1.0"])
async def test_ids_that_are_not_ours_name_nothing(client, h, raw):
    for path in ("/api/articles", "/api/article-categories", "/api/pages", "/api/users"):
        r = await client.get(f"{path}/{raw}", headers=h)
        assert r.status_code == 404 and r.json() == NOT_FOUND, path
