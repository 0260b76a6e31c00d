"""Pages through the store REST API: the auto-created homepage, key filter, CRUD, validation, isolation."""

from __future__ import annotations

import pytest

from tests.store.conftest import ok

NOT_FOUND = {"message": "The API resource was not found"}


async def test_homepage_exists_and_key_filter(client, h):
    body = ok(await client.get("/api/pages?key=homepage", headers=h))
    assert body["meta"]["total"] == 1
    home = body["data"][0]
    assert home["key"] == "homepage" and home["slug"] == "home"
    # Listing again does not create a second one.
    assert ok(await client.get("/api/pages", headers=h))["meta"]["total"] == 1
    assert ok(await client.get("/api/pages?key=about", headers=h))["data"] == []


async def test_page_crud(client, h):
    body = {
        "title": "About Us",
        "key": "about",
        "subtitle": "Who we are",
        "link_title": "About",
        "content": "<p>Hi</p>",
        "meta_title": "About",
        "meta_keywords": "about",
        "meta_description": "About the store",
        "enabled": True,
    }
    page = ok(await client.post("/api/pages", headers=h, json=body), 201)["data"]
    assert page["slug"] == "about-us" and page["key"] == "about"
    assert set(page) == {
        "id", "key", "slug", "title", "subtitle", "link_title", "content", "meta_title", "meta_keywords",
        "meta_description", "enabled", "created_at", "updated_at",
    }  # fmt: skip
    custom = ok(await client.post("/api/pages", headers=h, json={"title": "Shipping"}), 201)["data"]
    assert custom["key"] is None
    assert ok(await client.get("/api/pages?key=about", headers=h))["data"][0]["id"] == page["id"]
    assert ok(await client.get("/api/pages?search=ship", headers=h))["data"][0]["id"] == custom["id"]
    assert ok(await client.get("/api/pages?enabled=false", headers=h))["meta"]["total"] == 0

    got = ok(await client.get(f"/api/pages/{page['id']}", headers=h))["data"]
    assert got["content"] == "<p>Hi</p>"
    updated = ok(await client.patch(f"/api/pages/{page['id']}", headers=h, json={"enabled": False}))["data"]
    assert updated["enabled"] is False and updated["title"] == "About Us"

    # Keys are unique per store.
    r = await client.post("/api/pages", headers=h, json={"title": "Another about", "key": "about"})
    assert r.status_code == 422 and "key" in r.json()["errors"]

    r = await client.delete(f"/api/pages/{page['id']}", headers=h)
    assert r.status_code == 204
    assert (await client.get(f"/api/pages/{page['id']}", headers=h)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "title"), ({"title": "x" * 256}, "title"), ({"title": "ok", "key": "k" * 256}, "key"),
     ({"title": "ok", "enabled": []}, "enabled"), ({"title": ["list"]}, "title")],
)  # fmt: skip
async def test_bad_page_input(client, h, body, field):
    r = await client.post("/api/pages", headers=h, json=body)
    assert r.status_code == 422 and field in r.json()["errors"]
    assert ok(await client.get("/api/pages", headers=h))["meta"]["total"] == 1  # only the homepage


@pytest.mark.parametrize(
    "flags",
    [{"generate_ai_content": True}, {"generate_images": True}, {"image_source": "stock", "generate_images": True}],
)
async def test_page_ai_flags_start_their_jobs(client, h, flags):
    # Only the homepage page has image slots: elsewhere generate_images starts nothing (the document: no-op).
    r = await client.post("/api/pages", headers=h, json={"title": "AI", **flags})
    assert r.status_code == 201
    kinds = [j["kind"] for j in r.json().get("meta", {}).get("ai_jobs", [])]
    assert kinds == (["store.ai_content"] if flags.get("generate_ai_content") else [])
    home = ok(await client.get("/api/pages?key=homepage", headers=h))["data"][0]
    r = await client.patch(f"/api/pages/{home['id']}", headers=h, json={"title": "Changed", **flags})
    assert r.status_code == 200
    kinds = [j["kind"] for j in r.json()["meta"]["ai_jobs"]]
    assert kinds == (["store.ai_content"] if flags.get("generate_ai_content") else ["store.images"])
    assert ok(await client.get(f"/api/pages/{home['id']}", headers=h))["data"]["title"] == "Changed"


async def test_bad_list_params(client, h):
    for query in ("per_page=101", "sort_by=content", "sort_dir=up", "enabled=yes please"):
        r = await client.get(f"/api/pages?{query}", headers=h)
        assert r.status_code == 422, query


async def test_pages_are_isolated(client, h, oh):
    page = ok(await client.post("/api/pages", headers=h, json={"title": "Secret", "key": "secret"}), 201)["data"]
    for method, kwargs in (("get", {}), ("patch", {"json": {"title": "x"}}), ("delete", {})):
        r = await getattr(client, method)(f"/api/pages/{page['id']}", headers=oh, **kwargs)
        assert r.status_code == 404 and r.json() == NOT_FOUND
    assert ok(await client.get("/api/pages?key=secret", headers=oh))["data"] == []
    # The same key and slug are free in another store.
    other = ok(await client.post("/api/pages", headers=oh, json={"title": "Secret", "key": "secret"}), 201)["data"]
    assert other["slug"] == "secret"
    # Each store has its own homepage.
    homes = [ok(await client.get("/api/pages?key=homepage", headers=x))["data"][0]["id"] for x in (h, oh)]
    assert homes[0] != homes[1]
