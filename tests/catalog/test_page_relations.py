"""A page of products reads plain rows and hands each product the brand, categories and offers loaded for
the whole page (``schema.catalog.products.hold_relations``): the answer is the one the per-object path gives
(a product loaded by id as a row, its relations through the DataLoaders; a brand, category or offer loaded by
id; the same products reached through their categories as ORM objects), and a relation nobody selected is not
loaded."""

from __future__ import annotations

from typing import Any

from tests.catalog import helpers
from tests.support.graphql import gql
from tests.support.statements import counting

PRODUCT = (
    "id productId slug title subtitle linkTitle content contentBottom highlights summary metaTitle metaKeywords "
    "metaDescription reviewQuantity reviewScore enabled inSitemap generated upc ean isbn mpn mainImageUrl "
    "analyticsVisits totalClicks affiliateClicks externalProductCode market language variantGroupId keywords "
    "attributes reviews createdAt updatedAt"
)
BRAND = (
    "id brandId slug title subtitle linkTitle content contentBottom metaTitle metaKeywords metaDescription enabled "
    "createdAt updatedAt"
)
CATEGORY = (
    "id categoryId slug title subtitle linkTitle contentTop contentBottom metaTitle metaKeywords metaDescription "
    "enabled sortOrder createdAt updatedAt"
)
OFFER = (
    "id offerId uuid merchant merchantOfferId merchantProductId title summary features currency price priceFull "
    "minPrice maxPrice condition stockAvailable enabled locale images urlDetail createdAt updatedAt"
)
NODE = f"{PRODUCT} brand {{ {BRAND} }} categories {{ {CATEGORY} }} offers {{ {OFFER} }}"
PAGE = f"query($first: Int!) {{ products(first: $first) {{ totalCount edges {{ cursor node {{ {NODE} }} }} }} }}"


async def _q(client: Any, token: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    status, body = await gql(client, query, variables, token=token)
    assert status == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def _catalog(services: Any, workspace: Any) -> None:
    brands = [await helpers.brand(services, workspace, title=f"Brand {i}", subtitle=f"Sub {i}") for i in range(2)]
    categories = [await helpers.category(services, workspace, title=f"Cat {i}", sort_order=i) for i in range(3)]
    for i in range(6):
        product = await helpers.product(
            services,
            workspace,
            title=f"Product {i}",
            brand_id=brands[i % 2].id if i != 5 else None,  # the last one has no brand
            category_ids=[categories[(i + k) % 3].id for k in range(i % 3)],  # 0, 1 or 2 categories
            review_score=4.5 if i % 2 else None,
            highlights=["fast", "light"],
            attributes={"colour": "red", "size": i},
        )
        for k in range(i % 3):
            await helpers.offer(
                services, workspace, title=f"Offer {i}.{k}", merchant_offer_id=f"M{i}{k}", product_ids=[product.id]
            )


async def test_a_page_answers_what_each_object_answers_alone(client, workspace, services):
    await _catalog(services, workspace)
    token = workspace.api_key
    page = await _q(client, token, PAGE, {"first": 10})
    nodes = [e["node"] for e in page["products"]["edges"]]
    assert len(nodes) == 6
    assert any(n["brand"] is None for n in nodes) and any(n["categories"] == [] for n in nodes)
    assert any(len(n["offers"]) == 2 for n in nodes)
    for node in nodes:
        alone = await _q(client, token, f"query($id: ID!) {{ product(id: $id) {{ {NODE} }} }}", {"id": node["id"]})
        assert alone["product"] == node
        if node["brand"] is not None:
            brand = await _q(client, token, f"query($id: ID!) {{ brand(id: $id) {{ {BRAND} }} }}", node["brand"])
            assert brand["brand"] == node["brand"]
        for category in node["categories"]:
            one = await _q(client, token, f"query($id: ID!) {{ category(id: $id) {{ {CATEGORY} }} }}", category)
            assert one["category"] == category
        for offer in node["offers"]:
            one = await _q(client, token, f"query($id: ID!) {{ offer(id: $id) {{ {OFFER} }} }}", offer)
            assert one["offer"] == offer
    # The same products reached through their categories (ORM objects, relations through the DataLoaders).
    by_id = {n["id"]: n for n in nodes}
    through = await _q(
        client,
        token,
        f"{{ categories(first: 10) {{ edges {{ node {{ products {{ {NODE} }} }} }} }} }}",
    )
    reached = [p for e in through["categories"]["edges"] for p in e["node"]["products"]]
    assert reached and all(p == by_id[p["id"]] for p in reached)


SELECTIVE = """
query($first: Int!, $skip: Boolean!) {
  products(first: $first) { edges { node { title ...Relations } } }
}
fragment Relations on Product {
  brand @skip(if: $skip) { title }
  more: categories { title }
  ... on Product { offers { title } }
}
"""


async def test_only_the_selected_relations_are_loaded(client, workspace, services):
    await _catalog(services, workspace)
    token = workspace.api_key

    async def run(query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with counting(services) as statements:
            data = await _q(client, token, query, variables)
        return len(statements), data

    everything, data = await run(SELECTIVE, {"first": 10, "skip": False})
    nodes = [e["node"] for e in data["products"]["edges"]]
    assert all("brand" in n and "more" in n and "offers" in n for n in nodes)
    assert any(n["brand"] is not None for n in nodes)

    no_brand, data = await run(SELECTIVE, {"first": 10, "skip": True})
    assert all("brand" not in e["node"] and "more" in e["node"] for e in data["products"]["edges"])
    assert no_brand == everything - 1

    bare, _ = await run("query($first: Int!) { products(first: $first) { edges { node { title } } } }", {"first": 10})
    assert everything == bare + 3
