"""Store API categories (with tree and products) and brands (with products)."""

from __future__ import annotations

from tests.catalog import helpers

CATEGORY_FIELDS = {
    "id", "parent_id", "slug", "title", "subtitle", "link_title", "content_top", "content_bottom", "meta_title",
    "meta_keywords", "meta_description", "enabled", "sort_order", "products_count", "children_count", "created_at",
    "updated_at",
}  # fmt: skip
BRAND_FIELDS = {
    "id", "slug", "title", "subtitle", "link_title", "content", "content_bottom", "meta_title", "meta_keywords",
    "meta_description", "enabled", "products_count", "created_at", "updated_at",
}  # fmt: skip


async def test_create_category_with_every_documented_field(client, workspace):
    r = await client.post("/api/categories", json={"title": "Electronics"}, headers=workspace.headers())
    parent = r.json()["data"]
    body = {
        "title": "Phones",
        "slug": "phones",
        "parent_id": parent["id"],
        "subtitle": "S",
        "link_title": "L",
        "content_top": "<p>top</p>",
        "content_bottom": "<p>bottom</p>",
        "meta_title": "M",
        "meta_keywords": "k",
        "meta_description": "d",
        "enabled": False,
        "sort_order": 3,
    }
    r = await client.post("/api/categories", json=body, headers=workspace.headers())
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert set(data) == CATEGORY_FIELDS
    for key, value in body.items():
        assert data[key] == value, key
    assert data["products_count"] == 0 and data["children_count"] == 0
    r = await client.get(f"/api/categories/{parent['id']}", headers=workspace.headers())
    assert r.json()["data"]["children_count"] == 1


async def test_category_tree_matches_document_shape(client, workspace, services):
    electronics = await helpers.category(services, workspace, title="Electronics")
    phones = await helpers.category(services, workspace, title="Phones", parent_id=electronics.id)
    cases = await helpers.category(services, workspace, title="Cases", parent_id=phones.id)
    garden = await helpers.category(services, workspace, title="Garden", sort_order=5)
    await helpers.product(services, workspace, category_ids=[phones.id])
    r = await client.get("/api/categories/tree", headers=workspace.headers())
    assert r.status_code == 200
    tree = r.json()["data"]

    def shape(nodes):
        return [{"id": n["id"], "title": n["title"], "children": shape(n["children"])} for n in nodes]

    assert shape(tree) == [
        {
            "id": electronics.id,
            "title": "Electronics",
            "children": [
                {"id": phones.id, "title": "Phones", "children": [{"id": cases.id, "title": "Cases", "children": []}]}
            ],
        },
        {"id": garden.id, "title": "Garden", "children": []},
    ]
    assert tree[0]["children"][0]["products_count"] == 1 and tree[0]["children_count"] == 1


async def test_list_categories_filters(client, workspace, services):
    root = await helpers.category(services, workspace, title="Root")
    child = await helpers.category(services, workspace, title="Child", parent_id=root.id, sort_order=1)
    other_root = await helpers.category(services, workspace, title="Other", enabled=False, sort_order=2)

    async def ids_for(query: str) -> list[int]:
        r = await client.get(f"/api/categories?{query}", headers=workspace.headers())
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["data"]]

    assert await ids_for("") == [root.id, child.id, other_root.id]  # default: sort_order asc
    assert await ids_for("parent_id=") == [root.id, other_root.id]
    assert await ids_for(f"parent_id={root.id}") == [child.id]
    assert await ids_for("enabled=false") == [other_root.id]
    assert await ids_for("search=chi") == [child.id]
    assert await ids_for("sort_by=title&sort_dir=asc") == [child.id, other_root.id, root.id]
    r = await client.get("/api/categories", headers=workspace.headers())
    first = r.json()["data"][0]
    assert first["children_count"] == 1 and first["products_count"] == 0


async def test_update_and_delete_category(client, workspace, services):
    root = await helpers.category(services, workspace, title="Root")
    middle = await helpers.category(services, workspace, title="Middle", parent_id=root.id)
    leaf = await helpers.category(services, workspace, title="Leaf", parent_id=middle.id)
    p = await helpers.product(services, workspace, category_ids=[middle.id])
    r = await client.patch(
        f"/api/categories/{middle.id}", json={"title": "Mid", "enabled": False}, headers=workspace.headers()
    )
    assert r.status_code == 200 and r.json()["data"]["title"] == "Mid" and r.json()["data"]["parent_id"] == root.id
    # Moving to root.
    r = await client.patch(f"/api/categories/{leaf.id}", json={"parent_id": None}, headers=workspace.headers())
    assert r.status_code == 200 and r.json()["data"]["parent_id"] is None
    r = await client.patch(f"/api/categories/{leaf.id}", json={"parent_id": middle.id}, headers=workspace.headers())
    assert r.json()["data"]["parent_id"] == middle.id

    r = await client.delete(f"/api/categories/{middle.id}", headers=workspace.headers())
    assert r.status_code == 204 and r.content == b""
    assert (await client.get(f"/api/categories/{middle.id}", headers=workspace.headers())).status_code == 404
    # The leaf moved up to the deleted category's parent; the product lost only that link.
    r = await client.get(f"/api/categories/{leaf.id}", headers=workspace.headers())
    assert r.json()["data"]["parent_id"] == root.id
    r = await client.get(f"/api/products/{p.id}/categories", headers=workspace.headers())
    assert r.json() == {"data": []}


async def test_category_products(client, workspace, services):
    shoes = await helpers.category(services, workspace, title="Shoes")
    acme = await helpers.brand(services, workspace)
    a = await helpers.product(services, workspace, title="A", category_ids=[shoes.id], brand_id=acme.id)
    b = await helpers.product(services, workspace, title="B", category_ids=[shoes.id])
    await helpers.product(services, workspace, title="C")
    r = await client.get(f"/api/categories/{shoes.id}/products", headers=workspace.headers())
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["data"]] == [b.id, a.id] and r.json()["meta"]["total"] == 2
    r = await client.get(
        f"/api/categories/{shoes.id}/products?per_page=1&sort_by=title&sort_dir=asc&include=brand",
        headers=workspace.headers(),
    )
    assert [x["id"] for x in r.json()["data"]] == [a.id] and r.json()["data"][0]["brand"]["id"] == acme.id
    assert r.json()["meta"]["last_page"] == 2
    assert (await client.get("/api/categories/999999/products", headers=workspace.headers())).status_code == 404


async def test_category_ai_flags_start_jobs_and_bad_input_writes_nothing(client, workspace, services):
    # Fill and generate-list are jobs now: tests/merchants and tests/store_ops follow them.
    headers = workspace.headers()
    # The AI flags start their jobs with the write (tests/store_ai/ follow them); falsy ones are ignored.
    r = await client.post("/api/categories", json={"title": "Film SLRs", "generate_ai_content": False}, headers=headers)
    assert r.status_code == 201 and "meta" not in r.json()
    category_id = r.json()["data"]["id"]
    r = await client.patch(
        f"/api/categories/{category_id}", json={"title": "X", "generate_images": True}, headers=headers
    )
    assert r.status_code == 200 and r.json()["meta"]["ai_jobs"][0]["slots"] == ["banner", "listing"]
    # Bad input still reads as bad input first, and starts nothing.
    r = await client.post("/api/categories", json={"title": "x" * 256, "generate_ai_content": True}, headers=headers)
    assert r.status_code == 422
    r = await client.get("/api/categories", headers=headers)
    assert [c["title"] for c in r.json()["data"]] == ["X"]


async def test_brand_endpoints(client, workspace, services):
    body = {
        "title": "Acme",
        "subtitle": "S",
        "link_title": "L",
        "content": "<p>c</p>",
        "content_bottom": "<p>b</p>",
        "meta_title": "M",
        "meta_keywords": "k",
        "meta_description": "d",
        "enabled": False,
    }
    r = await client.post("/api/brands", json=body, headers=workspace.headers())
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert set(data) == BRAND_FIELDS
    for key, value in body.items():
        assert data[key] == value
    assert data["slug"] == "acme" and data["products_count"] == 0
    brand_id = data["id"]

    p1 = await helpers.product(services, workspace, title="One", brand_id=brand_id)
    p2 = await helpers.product(services, workspace, title="Two", brand_id=brand_id)
    await helpers.product(services, workspace, title="Unbranded")
    r = await client.get(f"/api/brands/{brand_id}", headers=workspace.headers())
    assert r.json()["data"]["products_count"] == 2
    r = await client.get(f"/api/brands/{brand_id}/products", headers=workspace.headers())
    assert r.status_code == 200 and [x["id"] for x in r.json()["data"]] == [p2.id, p1.id]

    r = await client.patch(
        f"/api/brands/{brand_id}", json={"enabled": True, "title": "ACME"}, headers=workspace.headers()
    )
    assert r.status_code == 200 and r.json()["data"]["enabled"] is True and r.json()["data"]["products_count"] == 2
    assert r.json()["data"]["slug"] == "acme"

    await client.post("/api/brands", json={"title": "Zeta"}, headers=workspace.headers())
    r = await client.get("/api/brands?search=cm", headers=workspace.headers())
    assert [b["title"] for b in r.json()["data"]] == ["ACME"]
    r = await client.get("/api/brands?sort_by=title&sort_dir=desc&enabled=true", headers=workspace.headers())
    assert [b["title"] for b in r.json()["data"]] == ["Zeta", "ACME"]
    assert r.json()["data"][1]["products_count"] == 2

    r = await client.delete(f"/api/brands/{brand_id}", headers=workspace.headers())
    assert r.status_code == 204
    assert (await client.get(f"/api/brands/{brand_id}", headers=workspace.headers())).status_code == 404
    r = await client.get(f"/api/products/{p1.id}", headers=workspace.headers())
    assert r.status_code == 200 and r.json()["data"]["brand_id"] is None
