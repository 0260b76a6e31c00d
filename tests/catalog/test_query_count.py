"""GraphQL pages of the catalog cost a small, fixed number of SQL statements: every relation (a product's
brand, categories and offers; a category's parent, children and products; a brand's products) goes through a
DataLoader, so the statements do not grow with the page size."""

from __future__ import annotations

from typing import Any

from tests.catalog import helpers
from tests.support.graphql import gql
from tests.support.statements import counting

QUERY = """
query($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node {
      title
      brand { title }
      categories { title }
      offers { title merchantOfferId }
    } }
  }
}
"""


async def test_products_page_query_count_does_not_grow(client, workspace, services):
    brands = [await helpers.brand(services, workspace, title=f"Brand {i}") for i in range(3)]
    categories = [await helpers.category(services, workspace, title=f"Cat {i}") for i in range(3)]
    for i in range(50):
        p = await helpers.product(
            services,
            workspace,
            title=f"Product {i}",
            brand_id=brands[i % 3].id,
            category_ids=[categories[i % 3].id, categories[(i + 1) % 3].id],
        )
        await helpers.offer(services, workspace, title=f"Offer {i}", product_ids=[p.id])

    counts: dict[int, tuple[int, int]] = {}
    for size in (5, 50):
        with counting(services) as statements:
            status, body = await gql(client, QUERY, {"first": size}, token=workspace.api_key)
        assert status == 200 and "errors" not in body, body
        edges = body["data"]["products"]["edges"]
        assert len(edges) == size
        assert all(
            e["node"]["brand"] and len(e["node"]["categories"]) == 2 and len(e["node"]["offers"]) == 1 for e in edges
        )
        select_count = sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))
        counts[size] = (len(statements), select_count)

    assert counts[5] == counts[50], counts
    total, select_count = counts[50]
    # Authentication, count, page, then one IN query per relation (brand, categories, offers).
    assert select_count <= 7, counts
    assert total <= 10, counts

    # Exactly one statement per relation on top of the bare page.
    with counting(services) as bare:
        status, body = await gql(
            client, "{ products(first: 50) { totalCount edges { node { title } } } }", token=workspace.api_key
        )
    assert len(body["data"]["products"]["edges"]) == 50
    assert total == len(bare) + 3, (counts, len(bare))


CATEGORIES = """
query($first: Int!) {
  categories(first: $first, sort: {field: ID, direction: ASC}) {
    totalCount
    edges { node {
      title
      parent { title }
      children { title }
      products { title brand { title } }
      productsCount
      childrenCount
    } }
  }
}
"""

BRANDS = """
query($first: Int!) {
  brands(first: $first, sort: {field: ID, direction: ASC}) {
    totalCount
    edges { node { title products { title categories { title } } productsCount } }
  }
}
"""


async def _statements(client: Any, services: Any, token: str, query: str, first: int) -> tuple[int, dict[str, Any]]:
    with counting(services) as statements:
        status, body = await gql(client, query, {"first": first}, token=token)
    assert status == 200 and "errors" not in body, body
    return len(statements), body["data"]


async def test_category_page_relations_do_not_grow_with_the_page(client, workspace, services):
    brand = await helpers.brand(services, workspace)
    for i in range(12):  # root, child, root, child...: the small page has both (every loader runs)
        root = await helpers.category(services, workspace, title=f"Root {i}")
        child = await helpers.category(services, workspace, title=f"Child {i}", parent_id=root.id)
        await helpers.product(services, workspace, title=f"P{i}", brand_id=brand.id, category_ids=[root.id, child.id])

    small, data = await _statements(client, services, workspace.api_key, CATEGORIES, 3)
    large, data = await _statements(client, services, workspace.api_key, CATEGORIES, 20)
    assert small == large, (small, large)
    nodes = [e["node"] for e in data["categories"]["edges"]]
    assert len(nodes) == 20 and data["categories"]["totalCount"] == 24
    root0 = next(n for n in nodes if n["title"] == "Root 0")
    assert root0["parent"] is None and root0["children"] == [{"title": "Child 0"}]
    assert root0["products"] == [{"title": "P0", "brand": {"title": "Acme"}}]
    assert (root0["productsCount"], root0["childrenCount"]) == (1, 1)
    child0 = next(n for n in nodes if n["title"] == "Child 0")
    assert child0["parent"] == {"title": "Root 0"} and child0["children"] == []


async def test_brand_page_relations_do_not_grow_with_the_page(client, workspace, services):
    category = await helpers.category(services, workspace)
    for i in range(10):
        b = await helpers.brand(services, workspace, title=f"Brand {i}")
        for j in range(2):
            await helpers.product(services, workspace, title=f"B{i}P{j}", brand_id=b.id, category_ids=[category.id])

    small, _ = await _statements(client, services, workspace.api_key, BRANDS, 2)
    large, data = await _statements(client, services, workspace.api_key, BRANDS, 10)
    assert small == large, (small, large)
    nodes = [e["node"] for e in data["brands"]["edges"]]
    assert len(nodes) == 10
    assert all(n["productsCount"] == 2 and len(n["products"]) == 2 for n in nodes)
    assert all(p["categories"] == [{"title": "Electronics"}] for n in nodes for p in n["products"])
