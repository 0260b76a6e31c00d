"""``node(id:)`` resolves catalog objects of the caller's workspace, and nothing of another."""

from __future__ import annotations

import pytest

from schema.relay import to_global_id
from tests.catalog.helpers import brand, category, offer, product
from tests.support.graphql import gql

NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Product { title } ... on Brand { title } ... on Category { title } ... on Offer { title } } }"""


async def test_node_resolves_each_catalog_type(client, services, workspace):
    p = await product(services, workspace, title="Lamp")
    objects = {
        "Product": (p.id, "Lamp"),
        "Brand": ((await brand(services, workspace, title="Lumo")).id, "Lumo"),
        "Category": ((await category(services, workspace, title="Lighting")).id, "Lighting"),
        "Offer": ((await offer(services, workspace, product_ids=[p.id])).id, "Amazon Product"),
    }
    for type_name, (raw, title) in objects.items():
        gid = to_global_id(type_name, raw)
        status, body = await gql(client, NODE, {"id": gid}, token=workspace.api_key)
        assert status == 200, body
        assert body["data"]["node"] == {"__typename": type_name, "id": gid, "title": title}


async def test_node_of_another_workspace_is_not_found(client, services, workspace, other_workspace):
    foreign = await product(services, other_workspace, title="Secret")
    for gid in (to_global_id("Product", foreign.id), to_global_id("Product", 999999), to_global_id("Product", "x")):
        _, body = await gql(client, NODE, {"id": gid}, token=workspace.api_key)
        assert body["data"] == {"node": None} or body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
        assert "Secret" not in str(body)


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 40])
async def test_ids_that_are_no_plain_number_name_nothing(client, workspace, raw):
    """Digits other than ASCII ones, or too many of them, are no id: not found, never a server error."""
    _, body = await gql(client, "query($id: ID!) { product(id: $id) { title } }", {"id": raw}, workspace.api_key)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], body
    r = await client.get(f"/api/products?brand_id={raw}", headers=workspace.headers())
    assert r.status_code == 422 and "brand_id" in r.json()["errors"], r.text
