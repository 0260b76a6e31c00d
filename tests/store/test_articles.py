"""Articles and article categories through the store REST API."""

from __future__ import annotations

import pytest

from tests.store.conftest import ok

NOT_FOUND = {"message": "The API resource was not found"}


async def count(client, h, path):
    return ok(await client.get(path, headers=h))["meta"]["total"]


async def test_article_crud_with_documented_fields(client, h):
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "Guides"}), 201)["data"]
    body = {
        "title": "Best Cameras of 2026",
        "subtitle": "Our picks",
        "link_title": "Cameras",
        "content": "<p>Hello</p>",
        "meta_title": "Best cameras",
        "meta_keywords": "cameras, film",
        "meta_description": "A guide",
        "enabled": False,
        "published_at": "2026-03-06T10:00:00Z",
        "article_categories": [cat["id"]],
    }
    created = ok(await client.post("/api/articles", headers=h, json=body), 201)["data"]
    assert created["slug"] == "best-cameras-of-2026"
    assert created["generated"] == 0 and created["enabled"] is False
    assert created["published_at"] == "2026-03-06T10:00:00.000000Z"
    assert [c["id"] for c in created["article_categories"]] == [cat["id"]]
    for key in (
        "id", "slug", "title", "subtitle", "link_title", "content", "meta_title", "meta_keywords",
        "meta_description", "enabled", "generated", "published_at", "created_at", "updated_at",
    ):  # fmt: skip
        assert key in created

    got = ok(await client.get(f"/api/articles/{created['id']}", headers=h))["data"]
    assert got["article_categories"][0]["title"] == "Guides"

    updated = ok(await client.patch(f"/api/articles/{created['id']}", headers=h, json={"title": "Renamed"}))["data"]
    assert updated["title"] == "Renamed" and updated["slug"] == "best-cameras-of-2026"  # slugs stay stable
    assert updated["subtitle"] == "Our picks"  # only provided fields change
    updated = ok(await client.patch(f"/api/articles/{created['id']}", headers=h, json={"article_categories": []}))[
        "data"
    ]
    assert updated["article_categories"] == []

    r = await client.delete(f"/api/articles/{created['id']}", headers=h)
    assert r.status_code == 204 and r.content == b""
    r = await client.get(f"/api/articles/{created['id']}", headers=h)
    assert r.status_code == 404 and r.json() == NOT_FOUND


async def test_slugs_are_generated_unique_and_checked(client, h, oh):
    a = ok(await client.post("/api/articles", headers=h, json={"title": "Same Title"}), 201)["data"]
    b = ok(await client.post("/api/articles", headers=h, json={"title": "Same Title"}), 201)["data"]
    assert (a["slug"], b["slug"]) == ("same-title", "same-title-2")
    # Unique per workspace: another store gets the plain slug.
    c = ok(await client.post("/api/articles", headers=oh, json={"title": "Same Title"}), 201)["data"]
    assert c["slug"] == "same-title"
    r = await client.post("/api/articles", headers=h, json={"title": "Other", "slug": "same-title"})
    assert r.status_code == 422 and "slug" in r.json()["errors"]
    r = await client.patch(f"/api/articles/{b['id']}", headers=h, json={"slug": "Same Title"})
    assert r.status_code == 422
    assert (
        ok(await client.patch(f"/api/articles/{b['id']}", headers=h, json={"slug": "fresh"}))["data"]["slug"] == "fresh"
    )


async def test_list_filters_sorting_and_pagination(client, h):
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "News"}), 201)["data"]
    for i in range(5):
        ok(
            await client.post(
                "/api/articles",
                headers=h,
                json={
                    "title": f"Post {i}",
                    "enabled": i % 2 == 0,
                    "article_categories": [cat["id"]] if i < 2 else [],
                },
            ),
            201,
        )
    body = ok(await client.get("/api/articles", headers=h))
    assert [a["title"] for a in body["data"]] == [f"Post {i}" for i in range(4, -1, -1)]  # newest first
    assert body["meta"]["per_page"] == 15 and body["meta"]["total"] == 5
    assert set(body["links"]) == {"first", "last", "prev", "next"}
    assert "article_categories" not in body["data"][0]  # included on single get only

    page2 = ok(await client.get("/api/articles?per_page=2&page=2&sort_by=title&sort_dir=asc", headers=h))
    assert [a["title"] for a in page2["data"]] == ["Post 2", "Post 3"]
    assert page2["meta"]["last_page"] == 3 and "page=3" in page2["links"]["next"]

    enabled = ok(await client.get("/api/articles?enabled=true", headers=h))["data"]
    assert {a["title"] for a in enabled} == {"Post 0", "Post 2", "Post 4"}
    assert ok(await client.get("/api/articles?enabled=0", headers=h))["meta"]["total"] == 2
    assert ok(await client.get("/api/articles?search=post 3", headers=h))["data"][0]["title"] == "Post 3"
    assert ok(await client.get("/api/articles?generated=true", headers=h))["meta"]["total"] == 0
    in_cat = ok(await client.get(f"/api/articles?article_category_id={cat['id']}", headers=h))["data"]
    assert {a["title"] for a in in_cat} == {"Post 0", "Post 1"}
    assert ok(await client.get("/api/articles?article_category_id=999999", headers=h))["meta"]["total"] == 0


@pytest.mark.parametrize(
    "query",
    ["per_page=101", "per_page=0", "page=0", "sort_by=password", "sort_dir=sideways", "enabled=maybe",
     "article_category_id=abc", "generated=2"],
)  # fmt: skip
async def test_bad_list_parameters_are_422(client, h, query):
    r = await client.get(f"/api/articles?{query}", headers=h)
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"message", "errors"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": 5}, "title"),
        ({"title": "ok", "enabled": "perhaps"}, "enabled"),
        ({"title": "ok", "published_at": "yesterday"}, "published_at"),
        ({"title": "ok", "article_categories": [999999]}, "article_categories.0"),
        ({"title": "ok", "article_categories": "1"}, "article_categories"),
        ({"title": "ok", "product_category_id": 999999}, "product_category_id"),
        ({"title": "ok", "meta_title": "m" * 256}, "meta_title"),
        ({"title": "ok", "image_source": "paint"}, "image_source"),
    ],
)
async def test_bad_article_input_is_422_and_nothing_written(client, h, body, field):
    r = await client.post("/api/articles", headers=h, json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["errors"]
    assert await count(client, h, "/api/articles") == 0


async def test_update_with_bad_input_writes_nothing(client, h):
    a = ok(await client.post("/api/articles", headers=h, json={"title": "Keep"}), 201)["data"]
    r = await client.patch(f"/api/articles/{a['id']}", headers=h, json={"subtitle": "new", "title": "x" * 300})
    assert r.status_code == 422
    got = ok(await client.get(f"/api/articles/{a['id']}", headers=h))["data"]
    assert got["title"] == "Keep" and got["subtitle"] is None


async def test_malformed_json(client, h):
    r = await client.post("/api/articles", headers={**h, "Content-Type": "application/json"}, content=b'{"title": ')
    assert r.status_code == 422 and set(r.json()) == {"message", "errors"}
    assert await count(client, h, "/api/articles") == 0


@pytest.mark.parametrize(
    "flags",
    [{"generate_ai_content": True}, {"generate_images": ["hero"]}, {"generate_images": True}, {"image_source": "ai"}],
)
async def test_ai_flags_start_their_jobs_with_the_write(client, h, flags):
    r = await client.post("/api/articles", headers=h, json={"title": "AI please", **flags})
    assert r.status_code == 201
    expected = [] if flags == {"image_source": "ai"} else [True]  # image_source alone asks for nothing
    assert [bool(j["id"]) for j in r.json().get("meta", {}).get("ai_jobs", [])] == expected
    assert await count(client, h, "/api/articles") == 1
    # falsy flags are fine
    ok(await client.post("/api/articles", headers=h, json={"title": "No AI", "generate_ai_content": False}), 201)


async def test_fill_empty_images(client, h):
    a = ok(await client.post("/api/articles", headers=h, json={"title": "No hero"}), 201)["data"]
    assert ok(await client.post(f"/api/articles/{a['id']}/fill-empty-images", headers=h))["data"] == {"filled": []}
    b = ok(
        await client.post(
            "/api/articles",
            headers=h,
            json={"title": "Hero", "hero_image_url": "https://img/h.png", "social_image_url": "https://img/s.png"},
        ),
        201,
    )["data"]
    assert ok(await client.post(f"/api/articles/{b['id']}/fill-empty-images", headers=h))["data"] == {
        "filled": ["listingImage"]
    }
    got = ok(await client.get(f"/api/articles/{b['id']}", headers=h))["data"]
    assert got["listing_image_url"] == "https://img/h.png" and got["social_image_url"] == "https://img/s.png"


async def test_unknown_ids_are_404(client, h):
    for method in ("get", "patch", "delete"):
        for path in ("/api/articles/999999", "/api/articles/abc", "/api/articles/99999999999999999999"):
            kwargs = {"json": {"title": "x"}} if method == "patch" else {}
            r = await getattr(client, method)(path, headers=h, **kwargs)
            assert r.status_code == 404 and r.json() == NOT_FOUND
    r = await client.post("/api/articles/999999/fill-empty-images", headers=h)
    assert r.status_code == 404


async def test_articles_are_isolated_between_workspaces(client, h, oh):
    a = ok(await client.post("/api/articles", headers=h, json={"title": "Mine"}), 201)["data"]
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "Mine"}), 201)["data"]
    for method, path, kwargs in [
        ("get", f"/api/articles/{a['id']}", {}),
        ("patch", f"/api/articles/{a['id']}", {"json": {"title": "stolen"}}),
        ("delete", f"/api/articles/{a['id']}", {}),
        ("post", f"/api/articles/{a['id']}/fill-empty-images", {}),
        ("get", f"/api/article-categories/{cat['id']}", {}),
        ("patch", f"/api/article-categories/{cat['id']}", {"json": {"title": "stolen"}}),
        ("delete", f"/api/article-categories/{cat['id']}", {}),
    ]:
        r = await getattr(client, method)(path, headers=oh, **kwargs)
        assert r.status_code == 404 and r.json() == NOT_FOUND, (method, path)
    assert await count(client, oh, "/api/articles") == 0
    assert await count(client, oh, "/api/article-categories") == 0
    # Another store's category cannot be attached, nor used as a parent.
    r = await client.post("/api/articles", headers=oh, json={"title": "x", "article_categories": [cat["id"]]})
    assert r.status_code == 422
    r = await client.post("/api/article-categories", headers=oh, json={"title": "x", "parent_id": cat["id"]})
    assert r.status_code == 422
    got = ok(await client.get(f"/api/articles/{a['id']}", headers=h))["data"]
    assert got["title"] == "Mine"


# --- article categories -----------------------------------------------------------------------------


async def test_article_category_crud_counts_and_parents(client, h):
    body = {
        "title": "Reviews",
        "subtitle": "s",
        "link_title": "l",
        "content_top": "<p>top</p>",
        "content_bottom": "<p>bottom</p>",
        "meta_title": "m",
        "meta_keywords": "k",
        "meta_description": "d",
        "enabled": True,
        "sort_order": 3,
    }
    parent = ok(await client.post("/api/article-categories", headers=h, json=body), 201)["data"]
    assert parent["slug"] == "reviews" and parent["articles_count"] == 0 and parent["parent_id"] is None
    assert parent["sort_order"] == 3 and parent["content_top"] == "<p>top</p>"
    child = ok(
        await client.post("/api/article-categories", headers=h, json={"title": "Lenses", "parent_id": parent["id"]}),
        201,
    )["data"]
    assert child["parent_id"] == parent["id"]
    for title in ("A", "B"):
        ok(
            await client.post("/api/articles", headers=h, json={"title": title, "article_categories": [parent["id"]]}),
            201,
        )
    got = ok(await client.get(f"/api/article-categories/{parent['id']}", headers=h))["data"]
    assert got["articles_count"] == 2
    listed = ok(await client.get("/api/article-categories?sort_by=title&sort_dir=asc", headers=h))["data"]
    assert [(c["title"], c["articles_count"]) for c in listed] == [("Lenses", 0), ("Reviews", 2)]
    roots = ok(await client.get("/api/article-categories?parent_id=", headers=h))["data"]
    assert [c["title"] for c in roots] == ["Reviews"]
    children = ok(await client.get(f"/api/article-categories?parent_id={parent['id']}", headers=h))["data"]
    assert [c["title"] for c in children] == ["Lenses"]
    assert ok(await client.get("/api/article-categories?search=lens", headers=h))["meta"]["total"] == 1

    # A cycle is refused; nothing is written.
    r = await client.patch(f"/api/article-categories/{parent['id']}", headers=h, json={"parent_id": child["id"]})
    assert r.status_code == 422 and "parent_id" in r.json()["errors"]
    r = await client.patch(f"/api/article-categories/{parent['id']}", headers=h, json={"parent_id": parent["id"]})
    assert r.status_code == 422
    r = await client.post("/api/article-categories", headers=h, json={"title": "x", "parent_id": 999999})
    assert r.status_code == 422
    r = await client.post("/api/article-categories", headers=h, json={"title": "x" * 256})
    assert r.status_code == 422
    assert await count(client, h, "/api/article-categories") == 2

    r = await client.delete(f"/api/article-categories/{parent['id']}", headers=h)
    assert r.status_code == 204
    assert ok(await client.get(f"/api/article-categories/{child['id']}", headers=h))["data"]["parent_id"] is None
    assert ok(await client.get("/api/articles?search=A", headers=h))["meta"]["total"] == 1


async def test_product_category_must_be_a_catalog_category_of_this_store(client, h, oh, services, workspace):
    from domain.catalog.models import Category

    async with services.unit_of_work() as uow:
        category = Category(workspace_id=workspace.workspace_id, slug="cams", title="Cameras")
        uow.session.add(category)
        await uow.session.flush()
        category_id = category.id
    a = ok(
        await client.post("/api/articles", headers=h, json={"title": "Related", "product_category_id": category_id}),
        201,
    )
    assert a["data"]["product_category_id"] == category_id
    r = await client.post("/api/articles", headers=oh, json={"title": "Related", "product_category_id": category_id})
    assert r.status_code == 422 and "product_category_id" in r.json()["errors"]


async def test_concurrent_creates_get_distinct_slugs(client, h):
    import asyncio

    responses = await asyncio.gather(
        *(client.post("/api/articles", headers=h, json={"title": "Race"}) for _ in range(4)),
    )
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    assert sorted(r.json()["data"]["slug"] for r in responses) == ["race", "race-2", "race-3", "race-4"]
