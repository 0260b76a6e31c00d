"""Keys, permissions and tenant isolation for the catalog, through REST and GraphQL."""

from __future__ import annotations

import pytest

from schema.relay import to_global_id
from tests.catalog import helpers
from tests.support.factories import add_member
from tests.support.graphql import gql

WRITE_DENIED = {"message": "This token does not have write access."}


async def test_unauthenticated_is_401(client):
    for method, path in (("GET", "/api/products"), ("POST", "/api/offers"), ("GET", "/api/categories/tree")):
        r = await client.request(method, path)
        assert r.status_code == 401 and r.json() == "Unauthorized."
    r = await client.get("/api/brands", headers={"Authorization": "Bearer sw_nope"})
    assert r.status_code == 401 and r.json() == "Unauthorized."


async def test_read_only_key_writing_gets_403(client, workspace, services):
    key = await helpers.make_key(services, workspace, ["read"])
    p = await helpers.product(services, workspace)
    o = await helpers.offer(services, workspace)
    c = await helpers.category(services, workspace)
    b = await helpers.brand(services, workspace)
    headers = workspace.headers(key)
    writes = [
        ("POST", "/api/products", {"title": "x"}),
        ("PATCH", f"/api/products/{p.id}", {"title": "x"}),
        ("DELETE", f"/api/products/{p.id}", None),
        ("POST", f"/api/products/{p.id}/categories", {"category_ids": [c.id]}),
        ("POST", "/api/offers", helpers.OFFER_EXAMPLE),
        ("PATCH", f"/api/offers/{o.id}", {"title": "x"}),
        ("DELETE", f"/api/offers/{o.id}", None),
        ("POST", f"/api/offers/{o.id}/products", {"product_ids": [p.id]}),
        ("POST", "/api/categories", {"title": "x"}),
        ("PATCH", f"/api/categories/{c.id}", {"title": "x"}),
        ("DELETE", f"/api/categories/{c.id}", None),
        ("POST", "/api/brands", {"title": "x"}),
        ("PATCH", f"/api/brands/{b.id}", {"title": "x"}),
        ("DELETE", f"/api/brands/{b.id}", None),
    ]
    for method, path, body in writes:
        r = await client.request(method, path, json=body, headers=headers)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json() == WRITE_DENIED
    # Reads work, and nothing changed.
    for path in ("/api/products", "/api/offers", "/api/categories", "/api/brands"):
        r = await client.get(path, headers=headers)
        assert r.status_code == 200 and r.json()["meta"]["total"] == 1
    r = await client.get(f"/api/products/{p.id}/categories", headers=headers)
    assert r.json() == {"data": []}


async def test_per_resource_keys(client, workspace, services):
    p = await helpers.product(services, workspace)
    products_read = workspace.headers(await helpers.make_key(services, workspace, ["products:read"]))
    r = await client.get("/api/products", headers=products_read)
    assert r.status_code == 200
    r = await client.get(f"/api/products/{p.id}?include=brand,offers,categories", headers=products_read)
    assert r.status_code == 200  # relations of a product are part of the product resource
    r = await client.post("/api/products", json={"title": "x"}, headers=products_read)
    assert r.status_code == 403 and r.json() == WRITE_DENIED
    r = await client.get("/api/offers", headers=products_read)
    assert r.status_code == 403 and set(r.json()) == {"message"}
    r = await client.post("/api/brands", json={"title": "x"}, headers=products_read)
    assert r.status_code == 403

    offers_write = workspace.headers(await helpers.make_key(services, workspace, ["offers:write"]))
    r = await client.post("/api/offers", json=helpers.OFFER_EXAMPLE, headers=offers_write)
    assert r.status_code == 201
    offer_id = r.json()["data"]["id"]
    r = await client.post(f"/api/offers/{offer_id}/products", json={"product_ids": [p.id]}, headers=offers_write)
    assert r.status_code == 200
    r = await client.get("/api/offers", headers=offers_write)
    assert r.status_code == 200
    r = await client.post("/api/products", json={"title": "x"}, headers=offers_write)
    assert r.status_code == 403
    r = await client.get("/api/categories", headers=offers_write)
    assert r.status_code == 403

    write = workspace.headers(await helpers.make_key(services, workspace, ["write"]))
    r = await client.post("/api/categories", json={"title": "Cat"}, headers=write)
    assert r.status_code == 201


async def test_viewer_member_reads_but_cannot_write_graphql(client, workspace, services):
    token = await add_member(services, workspace, "viewer@example.com", "viewer")
    await helpers.product(services, workspace)
    _status, body = await gql(client, "{ products { totalCount } }", token=token)
    assert body["data"]["products"]["totalCount"] == 1
    _status, body = await gql(
        client, 'mutation { createProduct(input: {title: "x"}) { product { id } userErrors { message } } }', token=token
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["message"] == "This token does not have write access."


async def test_rest_isolation_for_every_entity(client, workspace, other_workspace, services):
    b = await helpers.brand(services, workspace)
    c = await helpers.category(services, workspace)
    p = await helpers.product(services, workspace, brand_id=b.id, category_ids=[c.id])
    o = await helpers.offer(services, workspace, product_ids=[p.id])
    theirs = other_workspace.headers()

    for path in (
        f"/api/products/{p.id}",
        f"/api/products/{p.id}/offers",
        f"/api/products/{p.id}/categories",
        f"/api/products/{p.id}/analytics",
        f"/api/offers/{o.id}",
        f"/api/categories/{c.id}",
        f"/api/categories/{c.id}/products",
        f"/api/brands/{b.id}",
        f"/api/brands/{b.id}/products",
    ):
        r = await client.get(path, headers=theirs)
        assert r.status_code == 404 and r.json() == {"message": "The API resource was not found"}, path
    for method, path, body in (
        ("PATCH", f"/api/products/{p.id}", {"title": "hijack"}),
        ("DELETE", f"/api/products/{p.id}", None),
        ("POST", f"/api/products/{p.id}/categories", {"category_ids": []}),
        ("PATCH", f"/api/offers/{o.id}", {"title": "hijack"}),
        ("DELETE", f"/api/offers/{o.id}", None),
        ("POST", f"/api/offers/{o.id}/products", {"product_ids": []}),
        ("PATCH", f"/api/categories/{c.id}", {"title": "hijack"}),
        ("DELETE", f"/api/categories/{c.id}", None),
        ("PATCH", f"/api/brands/{b.id}", {"title": "hijack"}),
        ("DELETE", f"/api/brands/{b.id}", None),
    ):
        r = await client.request(method, path, json=body, headers=theirs)
        assert r.status_code == 404, (method, path)
    for path in ("/api/products", "/api/offers", "/api/categories", "/api/brands"):
        r = await client.get(path, headers=theirs)
        assert r.json()["data"] == [] and r.json()["meta"]["total"] == 0
    assert (await client.get("/api/categories/tree", headers=theirs)).json() == {"data": []}
    # Their store has its own offers settings: the default merchant, whatever this store enabled.
    assert (await client.get("/api/offers/merchants", headers=theirs)).json() == {"data": {"amazon": "Amazon"}}
    r = await client.get(f"/api/products?brand_id={b.id}", headers=theirs)
    assert r.json()["meta"]["total"] == 0
    r = await client.get(f"/api/offers?product_id={p.id}", headers=theirs)
    assert r.json()["meta"]["total"] == 0

    # Ours is untouched.
    r = await client.get(f"/api/products/{p.id}?include=brand,offers,categories", headers=workspace.headers())
    data = r.json()["data"]
    assert data["title"] == "Example Product" and data["brand"]["id"] == b.id
    assert [x["id"] for x in data["offers"]] == [o.id] and [x["id"] for x in data["categories"]] == [c.id]


GQL_READS = {
    "Product": "query($id: ID!) { product(id: $id) { id } }",
    "Brand": "query($id: ID!) { brand(id: $id) { id } }",
    "Category": "query($id: ID!) { category(id: $id) { id } }",
    "Offer": "query($id: ID!) { offer(id: $id) { id } }",
}


@pytest.mark.parametrize("type_name", sorted(GQL_READS))
async def test_graphql_isolation(client, workspace, other_workspace, services, type_name):
    b = await helpers.brand(services, workspace)
    c = await helpers.category(services, workspace)
    p = await helpers.product(services, workspace, brand_id=b.id, category_ids=[c.id])
    o = await helpers.offer(services, workspace, product_ids=[p.id])
    ids = {"Product": p.id, "Brand": b.id, "Category": c.id, "Offer": o.id}

    _status, body = await gql(client, GQL_READS[type_name], {"id": str(ids[type_name])}, token=workspace.api_key)
    assert body.get("errors") is None and body["data"][next(iter(body["data"]))]["id"]
    global_id = body["data"][next(iter(body["data"]))]["id"]

    for value in (global_id, str(ids[type_name])):
        _status, body = await gql(client, GQL_READS[type_name], {"id": value}, token=other_workspace.api_key)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    field = {"Product": "products", "Brand": "brands", "Category": "categories", "Offer": "offers"}[type_name]
    _status, body = await gql(
        client, f"{{ {field} {{ totalCount edges {{ node {{ id }} }} }} }}", token=other_workspace.api_key
    )
    assert body["data"][field] == {"totalCount": 0, "edges": []}

    mutation = {
        "Product": 'mutation($id: ID!) { updateProduct(id: $id, input: {title: "x"}) { userErrors { code } } }',
        "Brand": 'mutation($id: ID!) { updateBrand(id: $id, input: {title: "x"}) { userErrors { code } } }',
        "Category": 'mutation($id: ID!) { updateCategory(id: $id, input: {title: "x"}) { userErrors { code } } }',
        "Offer": 'mutation($id: ID!) { updateOffer(id: $id, input: {title: "x"}) { userErrors { code } } }',
    }[type_name]
    _status, body = await gql(client, mutation, {"id": global_id}, token=other_workspace.api_key)
    payload = next(iter(body["data"].values()))
    assert payload["userErrors"] == [{"code": "NOT_FOUND"}]
    delete = f"mutation($id: ID!) {{ delete{type_name}(id: $id) {{ deletedId userErrors {{ code }} }} }}"
    _status, body = await gql(client, delete, {"id": global_id}, token=other_workspace.api_key)
    assert next(iter(body["data"].values())) == {"deletedId": None, "userErrors": [{"code": "NOT_FOUND"}]}

    # Other tenant's ids in filters or inputs see nothing and link nothing.
    _status, body = await gql(
        client,
        'mutation($b: ID!) { createProduct(input: {title: "Mine", brandId: $b})'
        " { product { id } userErrors { field } } }",
        {"b": to_gid("Brand", b.id)},
        token=other_workspace.api_key,
    )
    assert body["data"]["createProduct"] == {"product": None, "userErrors": [{"field": "brandId"}]}
    r = await client.get(f"/api/{field}/{ids[type_name]}", headers=workspace.headers())
    assert r.status_code == 200 and r.json()["data"]["title"] != "x"


def to_gid(type_name: str, raw: int) -> str:
    return str(to_global_id(type_name, raw))
