"""A GraphQL page of products with brand, categories and offers costs a small, fixed number of SQL statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.catalog import helpers
from tests.support.graphql import gql

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


@contextmanager
def counting(services: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


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
