"""Store API products: every endpoint, the document's examples and shapes."""

from __future__ import annotations

import re

from domain.catalog.models import Product
from domain.catalog.repository import CatalogRepository
from tests.catalog import helpers

PRODUCT_FIELDS = {
    "id", "slug", "title", "subtitle", "link_title", "content", "content_bottom", "highlights", "summary",
    "meta_title", "meta_keywords", "meta_description", "review_quantity", "review_score", "enabled", "in_sitemap",
    "brand_id", "analytics_visits", "upc", "ean", "isbn", "mpn", "main_image_url", "created_at", "updated_at",
}  # fmt: skip
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


async def test_create_product_with_every_documented_field(client, workspace, services):
    acme = await helpers.brand(services, workspace)
    body = {
        "title": "Example Product",
        "subtitle": "Sub",
        "link_title": "Link",
        "content": "<p>Hi</p>",
        "content_bottom": "<p>Bye</p>",
        "highlights": ["Fast", "Light"],
        "summary": "Short",
        "meta_title": "Meta",
        "meta_keywords": "a,b",
        "meta_description": "Desc",
        "review_quantity": 12,
        "review_score": 4.5,
        "enabled": False,
        "in_sitemap": False,
        "brand_id": acme.id,
        "upc": "012345678905",
        "ean": "4006381333931",
        "isbn": "9780306406157",
        "mpn": "MPN-1",
    }
    r = await client.post("/api/products", json=body, headers=workspace.headers())
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert PRODUCT_FIELDS <= set(data)
    for key, value in body.items():
        assert data[key] == value, key
    assert data["slug"] == "example-product"
    assert data["analytics_visits"] == 0
    assert TIMESTAMP.match(data["created_at"]) and TIMESTAMP.match(data["updated_at"])

    r = await client.get(f"/api/products/{data['id']}", headers=workspace.headers())
    assert r.status_code == 200 and r.json()["data"] == data


async def test_content_service_fields_round_trip(client, workspace, services):
    body = {
        "title": "Trail Shoe",
        "external_product_code": "SKU-1",
        "market": "us",
        "language": "en",
        "variant_group_id": "grp-1",
        "keywords": [{"group": "primary", "keywords": ["trail shoe"]}],
        "attributes": {"colour": "red"},
        "reviews": [{"rating": 5, "text": "Great"}],
    }
    r = await client.post("/api/products", json=body, headers=workspace.headers())
    assert r.status_code == 201, r.text
    product_id = r.json()["data"]["id"]
    async with services.read() as session:
        found = await CatalogRepository(session).get_products_by_ids(workspace.workspace_id, [product_id, 999999])
    assert list(found) == [product_id]
    p: Product = found[product_id]
    assert (p.external_product_code, p.market, p.language, p.variant_group_id) == ("SKU-1", "us", "en", "grp-1")
    assert p.keywords == body["keywords"] and p.attributes == body["attributes"] and p.reviews == body["reviews"]


async def test_slugs_are_generated_and_unique_per_workspace(client, workspace, other_workspace):
    slugs = []
    for _ in range(3):
        r = await client.post("/api/products", json={"title": "Café Crème!"}, headers=workspace.headers())
        assert r.status_code == 201
        slugs.append(r.json()["data"]["slug"])
    assert slugs == ["cafe-creme", "cafe-creme-2", "cafe-creme-3"]
    r = await client.post("/api/products", json={"title": "Café Crème!"}, headers=other_workspace.headers())
    assert r.json()["data"]["slug"] == "cafe-creme"
    # An explicit slug that is taken is refused; a free one is used.
    r = await client.post("/api/products", json={"title": "X", "slug": "cafe-creme"}, headers=workspace.headers())
    assert r.status_code == 422
    assert r.json() == {
        "message": "The slug has already been taken.",
        "errors": {"slug": ["The slug has already been taken."]},
    }
    r = await client.post("/api/products", json={"title": "X", "slug": "My Own Slug"}, headers=workspace.headers())
    assert r.json()["data"]["slug"] == "my-own-slug"


async def test_get_with_includes_matches_document_example(client, workspace, services):
    acme = await helpers.brand(services, workspace, title="Acme")
    electronics = await helpers.category(services, workspace, title="Electronics")
    p = await helpers.product(services, workspace, brand_id=acme.id, category_ids=[electronics.id])
    o = await helpers.offer(services, workspace, product_ids=[p.id])

    r = await client.get(f"/api/products/{p.id}?include=brand,offers,categories", headers=workspace.headers())
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["id"] == p.id and data["title"] == "Example Product"
    assert data["brand"]["id"] == acme.id and data["brand"]["title"] == "Acme"
    assert [x["id"] for x in data["offers"]] == [o.id] and data["offers"][0]["title"] == "Amazon Product"
    assert [(c["id"], c["title"]) for c in data["categories"]] == [(electronics.id, "Electronics")]

    # Without include, no relation keys; with one include, only that one.
    r = await client.get(f"/api/products/{p.id}", headers=workspace.headers())
    assert not {"brand", "offers", "categories"} & set(r.json()["data"])
    r = await client.get(f"/api/products/{p.id}?include=brand", headers=workspace.headers())
    assert "brand" in r.json()["data"] and "offers" not in r.json()["data"]


async def test_list_paginates_filters_and_sorts(client, workspace, services):
    acme = await helpers.brand(services, workspace)
    shoes = await helpers.category(services, workspace, title="Shoes")
    ids = []
    for i in range(17):
        p = await helpers.product(
            services,
            workspace,
            title=f"Item {i:02d}",
            enabled=i % 2 == 0,
            brand_id=acme.id if i < 3 else None,
            category_ids=[shoes.id] if i >= 15 else None,
            generated=i == 4,
        )
        ids.append(p.id)

    r = await client.get("/api/products", headers=workspace.headers())
    body = r.json()
    assert r.status_code == 200 and set(body) == {"data", "links", "meta"}
    assert len(body["data"]) == 15
    assert body["meta"] | {"path": None} == {
        "current_page": 1, "from": 1, "last_page": 2, "per_page": 15, "to": 15, "total": 17, "path": None,
    }  # fmt: skip
    assert body["links"]["prev"] is None and body["links"]["next"].endswith("page=2")
    assert body["links"]["first"].endswith("page=1") and body["links"]["last"].endswith("page=2")
    # Default sort: created_at desc (newest first).
    assert body["data"][0]["id"] == ids[-1]

    r = await client.get("/api/products?page=2", headers=workspace.headers())
    assert [x["id"] for x in r.json()["data"]] == [ids[1], ids[0]]
    assert r.json()["meta"]["from"] == 16 and r.json()["meta"]["to"] == 17

    async def ids_for(query: str) -> list[int]:
        response = await client.get(f"/api/products?per_page=100&{query}", headers=workspace.headers())
        assert response.status_code == 200, response.text
        return [x["id"] for x in response.json()["data"]]

    assert await ids_for("sort_by=title&sort_dir=asc") == ids
    assert await ids_for("sort_by=id&sort_dir=desc") == ids[::-1]
    assert await ids_for("search=item 1") == sorted(ids[10:], reverse=True)
    assert await ids_for("search=ITEM 03") == [ids[3]]
    assert len(await ids_for("enabled=true")) == 9 and len(await ids_for("enabled=0")) == 8
    assert await ids_for(f"brand_id={acme.id}&sort_by=id&sort_dir=asc") == ids[:3]
    assert await ids_for(f"category_id={shoes.id}&sort_by=id&sort_dir=asc") == ids[15:]
    assert await ids_for("generated=true") == [ids[4]]
    assert await ids_for("brand_id=999999") == []


async def test_list_includes_relations_for_the_whole_page(client, workspace, services):
    acme = await helpers.brand(services, workspace)
    p1 = await helpers.product(services, workspace, brand_id=acme.id)
    p2 = await helpers.product(services, workspace)
    r = await client.get(
        "/api/products?include=brand,offers,categories&sort_by=id&sort_dir=asc", headers=workspace.headers()
    )
    rows = r.json()["data"]
    assert [x["id"] for x in rows] == [p1.id, p2.id]
    assert rows[0]["brand"]["id"] == acme.id and rows[1]["brand"] is None
    assert rows[0]["offers"] == [] and rows[0]["categories"] == []


async def test_update_changes_only_sent_fields(client, workspace, services):
    p = await helpers.product(services, workspace, subtitle="Keep me", highlights=["a"])
    r = await client.patch(
        f"/api/products/{p.id}", json={"title": "Renamed", "enabled": False}, headers=workspace.headers()
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["title"] == "Renamed" and data["enabled"] is False
    assert data["subtitle"] == "Keep me" and data["highlights"] == ["a"]
    assert data["slug"] == "example-product"  # the slug stays put when the title changes
    r = await client.patch(
        f"/api/products/{p.id}", json={"brand_id": None, "slug": "new-slug"}, headers=workspace.headers()
    )
    assert r.json()["data"]["slug"] == "new-slug" and r.json()["data"]["brand_id"] is None


async def test_delete_is_soft(client, workspace, services):
    electronics = await helpers.category(services, workspace)
    p = await helpers.product(services, workspace, category_ids=[electronics.id])
    r = await client.delete(f"/api/products/{p.id}", headers=workspace.headers())
    assert r.status_code == 204 and r.content == b""
    r = await client.get(f"/api/products/{p.id}", headers=workspace.headers())
    assert r.status_code == 404 and r.json() == {"message": "The API resource was not found"}
    assert (await client.get("/api/products", headers=workspace.headers())).json()["meta"]["total"] == 0
    assert (await client.delete(f"/api/products/{p.id}", headers=workspace.headers())).status_code == 404
    r = await client.get(f"/api/categories/{electronics.id}", headers=workspace.headers())
    assert r.json()["data"]["products_count"] == 0
    # The row is still there (soft delete), with its slug reserved.
    async with services.read() as session:
        row = await session.get(Product, p.id)
    assert row is not None and row.deleted_at is not None
    r = await client.post("/api/products", json={"title": "Example Product"}, headers=workspace.headers())
    assert r.json()["data"]["slug"] == "example-product-2"


async def test_product_offers_is_paginated(client, workspace, services):
    p = await helpers.product(services, workspace)
    other = await helpers.product(services, workspace, title="Other")
    o1 = await helpers.offer(services, workspace, product_ids=[p.id])
    o2 = await helpers.offer(services, workspace, product_ids=[p.id, other.id], merchant="ebay")
    await helpers.offer(services, workspace, product_ids=[other.id])
    r = await client.get(f"/api/products/{p.id}/offers?per_page=1", headers=workspace.headers())
    assert r.status_code == 200
    assert r.json()["meta"]["total"] == 2 and r.json()["meta"]["last_page"] == 2
    r = await client.get(f"/api/products/{p.id}/offers?sort_by=id&sort_dir=asc", headers=workspace.headers())
    assert [x["id"] for x in r.json()["data"]] == [o1.id, o2.id]


async def test_product_categories_get_and_sync(client, workspace, services):
    p = await helpers.product(services, workspace)
    c1 = await helpers.category(services, workspace, title="Electronics")
    c2 = await helpers.category(services, workspace, title="Phones")
    c3 = await helpers.category(services, workspace, title="Cases")
    r = await client.get(f"/api/products/{p.id}/categories", headers=workspace.headers())
    assert r.status_code == 200 and r.json() == {"data": []}

    r = await client.post(
        f"/api/products/{p.id}/categories", json={"category_ids": [c1.id, c2.id, c3.id]}, headers=workspace.headers()
    )
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["data"]] == [c1.id, c2.id, c3.id]
    r = await client.get(f"/api/products/{p.id}/categories", headers=workspace.headers())
    assert [(c["id"], c["title"]) for c in r.json()["data"]] == [
        (c1.id, "Electronics"),
        (c2.id, "Phones"),
        (c3.id, "Cases"),
    ]

    # Sync replaces: only c2 remains.
    r = await client.post(
        f"/api/products/{p.id}/categories", json={"category_ids": [c2.id]}, headers=workspace.headers()
    )
    assert [c["id"] for c in r.json()["data"]] == [c2.id]
    r = await client.get(f"/api/categories/{c1.id}", headers=workspace.headers())
    assert r.json()["data"]["products_count"] == 0
    r = await client.post(f"/api/products/{p.id}/categories", json={"category_ids": []}, headers=workspace.headers())
    assert r.json() == {"data": []}


async def test_product_analytics(client, workspace, services):
    p = await helpers.product(services, workspace)
    async with services.unit_of_work() as uow:
        row = await uow.session.get(Product, p.id)
        assert row is not None
        row.analytics_visits, row.total_clicks, row.affiliate_clicks = 1250, 89, 45
    r = await client.get(f"/api/products/{p.id}/analytics", headers=workspace.headers())
    assert r.status_code == 200
    assert r.json() == {"data": {"analytics_visits": 1250, "total_clicks": 89, "affiliate_clicks": 45}}
    r = await client.get(f"/api/products/{p.id}", headers=workspace.headers())
    assert r.json()["data"]["analytics_visits"] == 1250
