"""``node(id:)`` resolves catalog objects of the caller's workspace, and nothing of another."""

from __future__ import annotations

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
