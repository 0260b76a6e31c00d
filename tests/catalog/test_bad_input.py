"""Bad input: 422 with the documented body, and nothing written."""

from __future__ import annotations

import pytest

from schema.relay import to_global_id
from tests.catalog import helpers
from tests.support.graphql import gql


async def totals(client, workspace) -> dict[str, int]:
    out = {}
    for resource in ("products", "offers", "categories", "brands"):
        r = await client.get(f"/api/{resource}", headers=workspace.headers())
        out[resource] = r.json()["meta"]["total"]
    return out


def assert_422(r, field: str, message: str | None = None) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert field in body["errors"], body
    assert all(isinstance(m, str) for m in body["errors"][field])
    if message is not None:
        assert body["errors"][field] == [message]


@pytest.mark.parametrize("resource", ["products", "categories", "brands"])
async def test_title_over_255_characters(client, workspace, resource):
    before = await totals(client, workspace)
    r = await client.post(f"/api/{resource}", json={"title": "x" * 256}, headers=workspace.headers())
    assert_422(r, "title", "The title field must not be greater than 255 characters.")
    assert r.json()["message"] == "The title field must not be greater than 255 characters."
    r = await client.post(f"/api/{resource}", json={"title": "x" * 255}, headers=workspace.headers())
    assert r.status_code == 201
    item_id = r.json()["data"]["id"]
    r = await client.patch(f"/api/{resource}/{item_id}", json={"title": "y" * 256}, headers=workspace.headers())
    assert_422(r, "title")
    r = await client.get(f"/api/{resource}/{item_id}", headers=workspace.headers())
    assert r.json()["data"]["title"] == "x" * 255
    after = await totals(client, workspace)
    assert after[resource] == before[resource] + 1


async def test_offer_title_and_merchant_limits(client, workspace):
    r = await client.post(
        "/api/offers", json={**helpers.OFFER_EXAMPLE, "title": "t" * 256}, headers=workspace.headers()
    )
    assert_422(r, "title")
    r = await client.post(
        "/api/offers", json={**helpers.OFFER_EXAMPLE, "currency": "DOLLARSXXXX"}, headers=workspace.headers()
    )
    assert_422(r, "currency", "The currency field must not be greater than 10 characters.")
    assert (await totals(client, workspace))["offers"] == 0


async def test_missing_title(client, workspace):
    r = await client.post("/api/products", json={"subtitle": "no title"}, headers=workspace.headers())
    assert_422(r, "title", "The title field is required.")
    r = await client.post("/api/products", json={"title": "   "}, headers=workspace.headers())
    assert_422(r, "title", "The title field is required.")


async def test_unknown_brand_parent_category_and_product_ids(client, workspace, other_workspace, services):
    foreign_brand = await helpers.brand(services, other_workspace)
    foreign_category = await helpers.category(services, other_workspace)
    foreign_product = await helpers.product(services, other_workspace)
    p = await helpers.product(services, workspace)
    c = await helpers.category(services, workspace)
    o = await helpers.offer(services, workspace)
    headers = workspace.headers()

    for brand_id in (999999, foreign_brand.id):
        r = await client.post("/api/products", json={"title": "T", "brand_id": brand_id}, headers=headers)
        assert_422(r, "brand_id", "The selected brand id is invalid.")
        r = await client.patch(f"/api/products/{p.id}", json={"brand_id": brand_id}, headers=headers)
        assert_422(r, "brand_id")
    for parent_id in (999999, foreign_category.id):
        r = await client.post("/api/categories", json={"title": "T", "parent_id": parent_id}, headers=headers)
        assert_422(r, "parent_id", "The selected parent id is invalid.")
        r = await client.patch(f"/api/categories/{c.id}", json={"parent_id": parent_id}, headers=headers)
        assert_422(r, "parent_id")
    r = await client.post(
        f"/api/products/{p.id}/categories", json={"category_ids": [c.id, foreign_category.id]}, headers=headers
    )
    assert_422(r, "category_ids.1", "The selected category_ids.1 is invalid.")
    r = await client.post(f"/api/offers/{o.id}/products", json={"product_ids": [foreign_product.id]}, headers=headers)
    assert_422(r, "product_ids.0", "The selected product_ids.0 is invalid.")
    # A soft-deleted product is unknown too.
    await client.delete(f"/api/products/{p.id}", headers=headers)
    r = await client.post(f"/api/offers/{o.id}/products", json={"product_ids": [p.id]}, headers=headers)
    assert_422(r, "product_ids.0")

    # Nothing was written.
    assert await totals(client, workspace) == {"products": 0, "offers": 1, "categories": 1, "brands": 0}
    r = await client.get(f"/api/categories/{c.id}", headers=headers)
    assert r.json()["data"]["parent_id"] is None


async def test_sync_keeps_links_when_refused(client, workspace, services):
    c1 = await helpers.category(services, workspace, title="One")
    p = await helpers.product(services, workspace, category_ids=[c1.id])
    r = await client.post(
        f"/api/products/{p.id}/categories", json={"category_ids": [999999]}, headers=workspace.headers()
    )
    assert r.status_code == 422
    r = await client.get(f"/api/products/{p.id}/categories", headers=workspace.headers())
    assert [c["id"] for c in r.json()["data"]] == [c1.id]
    for body in ({}, {"category_ids": "1"}, {"category_ids": [True]}, {"category_ids": ["1"]}, {"category_ids": None}):
        r = await client.post(f"/api/products/{p.id}/categories", json=body, headers=workspace.headers())
        assert_422(r, "category_ids")


async def test_per_page_over_100_is_refused(client, workspace):
    for resource in ("products", "offers", "categories", "brands"):
        r = await client.get(f"/api/{resource}?per_page=101", headers=workspace.headers())
        assert_422(r, "per_page", "The per page field must not be greater than 100.")
        r = await client.get(f"/api/{resource}?per_page=100", headers=workspace.headers())
        assert r.status_code == 200 and r.json()["meta"]["per_page"] == 100
    r = await client.get("/api/products?per_page=0", headers=workspace.headers())
    assert_422(r, "per_page")
    r = await client.get("/api/products?page=abc", headers=workspace.headers())
    assert_422(r, "page")


async def test_unknown_sort_columns(client, workspace, services):
    p = await helpers.product(services, workspace)
    c = await helpers.category(services, workspace)
    b = await helpers.brand(services, workspace)
    for path in (
        "/api/products",
        "/api/offers",
        "/api/categories",
        "/api/brands",
        f"/api/products/{p.id}/offers",
        f"/api/categories/{c.id}/products",
        f"/api/brands/{b.id}/products",
    ):
        r = await client.get(f"{path}?sort_by=password_hash", headers=workspace.headers())
        assert_422(r, "sort_by")
        r = await client.get(f"{path}?sort_by=id&sort_dir=sideways", headers=workspace.headers())
        assert_422(r, "sort_dir")


async def test_category_parent_cycles(client, workspace, services):
    a = await helpers.category(services, workspace, title="A")
    b = await helpers.category(services, workspace, title="B", parent_id=a.id)
    c = await helpers.category(services, workspace, title="C", parent_id=b.id)
    message = "The parent id cannot be the category itself or one of its descendants."
    for child, parent in ((a, a), (a, b), (a, c), (b, c)):
        r = await client.patch(
            f"/api/categories/{child.id}", json={"parent_id": parent.id}, headers=workspace.headers()
        )
        assert_422(r, "parent_id", message)
    r = await client.get("/api/categories/tree", headers=workspace.headers())
    tree = r.json()["data"]
    assert [n["id"] for n in tree] == [a.id] and tree[0]["children"][0]["children"][0]["id"] == c.id
    # A legal move still works.
    r = await client.patch(f"/api/categories/{c.id}", json={"parent_id": a.id}, headers=workspace.headers())
    assert r.status_code == 200


async def test_unknown_include_names(client, workspace, services):
    p = await helpers.product(services, workspace)
    c = await helpers.category(services, workspace)
    for path in (f"/api/products/{p.id}", "/api/products", f"/api/categories/{c.id}/products"):
        r = await client.get(f"{path}?include=brand,reviews", headers=workspace.headers())
        assert_422(r, "include", "Unknown include 'reviews'. Allowed: brand, offers, categories.")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": 5}, "title"),
        ({"title": "T", "enabled": "yes"}, "enabled"),
        ({"title": "T", "enabled": None}, "enabled"),
        ({"title": "T", "brand_id": "1"}, "brand_id"),
        ({"title": "T", "brand_id": 1.5}, "brand_id"),
        ({"title": "T", "brand_id": 2**40}, "brand_id"),
        ({"title": "T", "highlights": "fast"}, "highlights"),
        ({"title": "T", "review_score": "high"}, "review_score"),
        ({"title": "T", "review_quantity": True}, "review_quantity"),
        ({"title": "T", "attributes": ["a"]}, "attributes"),
        ({"title": "T", "meta_title": "m" * 256}, "meta_title"),
    ],
)
async def test_wrong_types_for_products(client, workspace, body, field):
    r = await client.post("/api/products", json=body, headers=workspace.headers())
    assert_422(r, field)
    assert (await totals(client, workspace))["products"] == 0


async def test_wrong_types_for_offers_categories_brands(client, workspace):
    r = await client.post("/api/offers", json={**helpers.OFFER_EXAMPLE, "price": "cheap"}, headers=workspace.headers())
    assert_422(r, "price", "The price field must be a number.")
    r = await client.post(
        "/api/offers", json={**helpers.OFFER_EXAMPLE, "features": {"a": 1}}, headers=workspace.headers()
    )
    assert_422(r, "features", "The features field must be an array.")
    r = await client.post("/api/categories", json={"title": "T", "sort_order": "first"}, headers=workspace.headers())
    assert_422(r, "sort_order", "The sort order field must be an integer.")
    r = await client.post("/api/brands", json={"title": "T", "enabled": "no"}, headers=workspace.headers())
    assert_422(r, "enabled", "The enabled field must be true or false.")
    r = await client.get("/api/products?enabled=maybe", headers=workspace.headers())
    assert_422(r, "enabled")
    r = await client.get("/api/products?brand_id=abc", headers=workspace.headers())
    assert_422(r, "brand_id")
    r = await client.get("/api/categories?parent_id=x", headers=workspace.headers())
    assert_422(r, "parent_id")
    assert await totals(client, workspace) == {"products": 0, "offers": 0, "categories": 0, "brands": 0}


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"title"', b""])
async def test_malformed_json(client, workspace, services, raw):
    p = await helpers.product(services, workspace)
    headers = {**workspace.headers(), "content-type": "application/json"}
    for method, path in (
        ("POST", "/api/products"),
        ("PATCH", f"/api/products/{p.id}"),
        ("POST", f"/api/products/{p.id}/categories"),
        ("POST", "/api/offers"),
        ("POST", "/api/categories"),
        ("POST", "/api/brands"),
    ):
        r = await client.request(method, path, content=raw, headers=headers)
        assert r.status_code == 422, (method, path, r.text)
        assert set(r.json()) == {"message", "errors"}
    assert await totals(client, workspace) == {"products": 1, "offers": 0, "categories": 0, "brands": 0}


async def test_unknown_ids_in_paths_are_404(client, workspace):
    for path in (
        "/api/products/999999",
        "/api/products/abc",
        "/api/offers/0",
        "/api/categories/-1",
        "/api/brands/99999999999",
    ):
        r = await client.get(path, headers=workspace.headers())
        assert r.status_code == 404 and r.json() == {"message": "The API resource was not found"}
    r = await client.patch("/api/products/999999", json={"title": "x"}, headers=workspace.headers())
    assert r.status_code == 404


async def test_every_problem_is_reported_at_once_unknown_references_included(
    client, workspace, other_workspace, services
):
    foreign_brand = await helpers.brand(services, other_workspace)
    body = {"title": "x" * 256, "review_score": "high", "enabled": None, "brand_id": foreign_brand.id}
    r = await client.post("/api/products", json=body, headers=workspace.headers())
    assert r.status_code == 422
    assert r.json() == {
        "message": "The title field must not be greater than 255 characters. (and 3 more errors)",
        "errors": {
            "title": ["The title field must not be greater than 255 characters."],
            "review_score": ["The review score field must be a number."],
            "enabled": ["The enabled field must not be null."],
            "brand_id": ["The selected brand id is invalid."],
        },
    }
    r = await client.post(
        "/api/categories", json={"title": "", "parent_id": 999999, "sort_order": "x"}, headers=workspace.headers()
    )
    assert list(r.json()["errors"]) == ["title", "parent_id", "sort_order"]
    r = await client.get(
        "/api/products?enabled=maybe&page=0&sort_by=price&include=reviews", headers=workspace.headers()
    )
    assert list(r.json()["errors"]) == ["page", "sort_by", "include", "enabled"]
    assert await totals(client, workspace) == {"products": 0, "offers": 0, "categories": 0, "brands": 0}


async def test_graphql_reports_every_problem_of_an_input_at_once(client, workspace, services):
    category = await helpers.category(services, workspace)
    _, body = await gql(
        client,
        'mutation($b: ID!, $t: String!) { createProduct(input: {title: $t, brandId: $b, highlights: "fast"})'
        " { product { id } userErrors { field code } } }",
        {"b": to_global_id("Category", category.id), "t": "x" * 256},
        token=workspace.api_key,
    )
    errors = body["data"]["createProduct"]["userErrors"]
    assert {e["field"] for e in errors} == {"brandId", "title", "highlights"}
    assert {e["code"] for e in errors} == {"INVALID_INPUT"}


async def test_unicode_digits_and_huge_numbers_are_refused_not_server_errors(client, workspace):
    for path in ("/api/brands/%C2%B2", "/api/products/%C2%B2/offers", "/api/offers/99999999999999999999"):
        r = await client.get(path, headers=workspace.headers())
        assert r.status_code == 404 and r.json() == {"message": "The API resource was not found"}, path
    for query, field in (
        ("/api/products?brand_id=%C2%B2", "brand_id"),
        ("/api/offers?product_id=%C2%B2", "product_id"),
        ("/api/categories?parent_id=%C2%B2", "parent_id"),
        ("/api/products?page=%C2%B2", "page"),
        ("/api/brands?page=99999999999999999999", "page"),
    ):
        r = await client.get(query, headers=workspace.headers())
        assert_422(r, field)


async def test_a_missing_object_is_not_found_before_its_body_is_checked(client, workspace):
    """As Laravel binds the model before it validates the request."""
    for method, path, body in (
        ("PATCH", "/api/products/999999", {"title": 5}),
        ("PATCH", "/api/offers/999999", {"url_detail": "nope"}),
        ("PATCH", "/api/categories/999999", {"sort_order": None}),
        ("PATCH", "/api/brands/999999", {"title": None}),
        ("POST", "/api/products/999999/categories", {"category_ids": "x"}),
        ("POST", "/api/offers/999999/products", {}),
    ):
        r = await client.request(method, path, json=body, headers=workspace.headers())
        assert r.status_code == 404, (method, path, r.text)
