"""Products on the listing surface: the workspace's catalog products with their images (signed links that
work), created from a title and an image URL, paged as the document says."""

from __future__ import annotations

import httpx

from resolvers.context import AppServices
from tests.listing.helpers import API, create_product, product_png
from tests.support.factories import WorkspaceInfo


async def test_create_fetches_and_stores_the_image_and_get_serves_it(
    client: httpx.AsyncClient, pro: WorkspaceInfo, image_server: str
) -> None:
    created = await create_product(
        client, pro, f"{image_server}/product.png", title="Green Tea", description="Loose leaf.", category="Food"
    )
    assert created["id"].startswith("prod_")
    assert created["title"] == "Green Tea"
    assert created["description"] == "Loose leaf."
    assert created["category"] == "Food"
    assert created["created_at"].endswith("Z")
    [image] = created["images"]
    assert image["url"].startswith("http://") and "/media/" in image["url"]

    served = await client.get(image["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.content == product_png()

    for ref in (created["id"], created["id"].removeprefix("prod_")):
        got = await client.get(f"{API}/products/{ref}", headers=pro.headers())
        assert got.status_code == 200, got.text
        assert got.json()["id"] == created["id"]
        assert len(got.json()["images"]) == 1


async def test_they_are_the_catalog_products_of_the_store_api(client: httpx.AsyncClient, pro: WorkspaceInfo) -> None:
    """One catalog: a product made on the store API is listed here, and one made here is on the store API."""
    store = await client.post("/api/products", json={"title": "Made in the store"}, headers=pro.headers())
    assert store.status_code in (200, 201), store.text
    here = await create_product(client, pro, title="Made in the studio")

    listed = (await client.get(f"{API}/products", headers=pro.headers())).json()
    assert {p["title"] for p in listed["products"]} == {"Made in the store", "Made in the studio"}
    assert listed["total"] == 2 and listed["page"] == 1
    from_store = await client.get(f"/api/products/{here['id'].removeprefix('prod_')}", headers=pro.headers())
    assert from_store.status_code == 200
    assert from_store.json()["data"]["title"] == "Made in the studio"


async def test_pages_default_to_twenty_newest_first(client: httpx.AsyncClient, pro: WorkspaceInfo) -> None:
    for i in range(23):
        await create_product(client, pro, title=f"Product {i:02d}")
    first = (await client.get(f"{API}/products", headers=pro.headers())).json()
    assert first["total"] == 23 and first["page"] == 1
    assert len(first["products"]) == 20
    assert first["products"][0]["title"] == "Product 22"
    second = (await client.get(f"{API}/products?page=2", headers=pro.headers())).json()
    assert [p["title"] for p in second["products"]] == ["Product 02", "Product 01", "Product 00"]
    assert second["page"] == 2
    small = (await client.get(f"{API}/products?limit=5&page=3", headers=pro.headers())).json()
    assert [p["title"] for p in small["products"]] == [f"Product {i:02d}" for i in range(12, 7, -1)]
    full = (await client.get(f"{API}/products?limit=100", headers=pro.headers())).json()
    assert len(full["products"]) == 23


async def test_paging_out_of_range_is_refused(client: httpx.AsyncClient, pro: WorkspaceInfo) -> None:
    for query, field in (
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=99999999999999999999999", "page"),
    ):
        response = await client.get(f"{API}/products?{query}", headers=pro.headers())
        assert response.status_code == 400, query
        body = response.json()
        assert body["error"] == "invalid_request"
        assert field in body["message"] and field in body["fields"]


async def test_another_workspaces_product_is_not_found(
    client: httpx.AsyncClient, pro: WorkspaceInfo, pro_b: WorkspaceInfo
) -> None:
    theirs = await create_product(client, pro_b, title="Not yours")
    for ref in (theirs["id"], "prod_999999", "prod_abc"):
        response = await client.get(f"{API}/products/{ref}", headers=pro.headers())
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    listed = (await client.get(f"{API}/products", headers=pro.headers())).json()
    assert listed == {"products": [], "total": 0, "page": 1}


async def test_category_falls_back_to_the_first_catalog_category(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices
) -> None:
    category = await client.post("/api/categories", json={"title": "Kitchen"}, headers=pro.headers())
    assert category.status_code in (200, 201), category.text
    category_id = category.json()["data"]["id"]
    product = await create_product(client, pro, title="Kettle")
    bare = product["id"].removeprefix("prod_")
    linked = await client.post(
        f"/api/products/{bare}/categories", json={"category_ids": [category_id]}, headers=pro.headers()
    )
    assert linked.status_code == 200, linked.text
    got = (await client.get(f"{API}/products/{product['id']}", headers=pro.headers())).json()
    assert got["category"] == "Kitchen"
