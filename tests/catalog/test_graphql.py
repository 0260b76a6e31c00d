"""The catalog's GraphQL twin: types, connections, filters, sorting, relations, mutations with userErrors."""

from __future__ import annotations

from tests.catalog import helpers
from tests.support.graphql import gql

PRODUCT_PAGE = """
query($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id productId title slug
      brand { id brandId title productsCount }
      categories { id categoryId title }
      offers { id offerId merchantOfferId merchantProductId }
    } }
  }
}
"""


async def q(client, ws, query, variables=None):
    status, body = await gql(client, query, variables, token=ws.api_key)
    assert status == 200, body
    return body


async def test_products_connection_relations_and_paging(client, workspace, services):
    acme = await helpers.brand(services, workspace, title="Acme")
    shoes = await helpers.category(services, workspace, title="Shoes")
    products = [
        await helpers.product(services, workspace, title=f"P{i}", brand_id=acme.id, category_ids=[shoes.id])
        for i in range(5)
    ]
    o = await helpers.offer(services, workspace, product_ids=[products[0].id])

    body = await q(client, workspace, PRODUCT_PAGE, {"first": 2, "sort": {"field": "TITLE", "direction": "ASC"}})
    conn = body["data"]["products"]
    assert conn["totalCount"] == 5
    assert [e["node"]["title"] for e in conn["edges"]] == ["P0", "P1"]
    assert conn["pageInfo"]["hasNextPage"] is True and conn["pageInfo"]["hasPreviousPage"] is False
    first = conn["edges"][0]["node"]
    assert first["productId"] == products[0].id
    assert first["brand"] == {"id": first["brand"]["id"], "brandId": acme.id, "title": "Acme", "productsCount": 5}
    assert [c["categoryId"] for c in first["categories"]] == [shoes.id]
    assert first["offers"][0]["offerId"] == o.id
    assert first["offers"][0]["merchantOfferId"] == first["offers"][0]["merchantProductId"] == "B0GR52QJCF"

    body = await q(
        client,
        workspace,
        PRODUCT_PAGE,
        {"first": 2, "after": conn["pageInfo"]["endCursor"], "sort": {"field": "TITLE", "direction": "ASC"}},
    )
    page2 = body["data"]["products"]
    assert [e["node"]["title"] for e in page2["edges"]] == ["P2", "P3"]
    assert page2["pageInfo"]["hasPreviousPage"] is True

    body = await q(client, workspace, PRODUCT_PAGE, {"first": 10, "filter": {"search": "p4"}})
    assert [e["node"]["title"] for e in body["data"]["products"]["edges"]] == ["P4"]
    body = await q(client, workspace, PRODUCT_PAGE, {"first": 10, "filter": {"categoryId": str(shoes.id)}})
    assert body["data"]["products"]["totalCount"] == 5


async def test_page_size_is_capped_and_cursors_checked(client, workspace):
    body = await q(client, workspace, PRODUCT_PAGE, {"first": 101})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body = await q(client, workspace, PRODUCT_PAGE, {"first": 5, "after": "garbage"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body = await q(client, workspace, PRODUCT_PAGE, {"first": 100})
    assert body["data"]["products"]["totalCount"] == 0


async def test_category_relations(client, workspace, services):
    root = await helpers.category(services, workspace, title="Root")
    child = await helpers.category(services, workspace, title="Child", parent_id=root.id)
    p = await helpers.product(services, workspace, category_ids=[child.id])
    query = """
    { categoryTree { title childrenCount productsCount parent { title }
        children { title parent { title } productsCount products { productId } children { title } } } }
    """
    body = await q(client, workspace, query)
    assert body["data"]["categoryTree"] == [
        {
            "title": "Root",
            "childrenCount": 1,
            "productsCount": 0,
            "parent": None,
            "children": [
                {
                    "title": "Child",
                    "parent": {"title": "Root"},
                    "productsCount": 1,
                    "products": [{"productId": p.id}],
                    "children": [],
                }
            ],
        }
    ]
    body = await q(
        client, workspace, "{ categories(filter: {rootsOnly: true}) { totalCount edges { node { title } } } }"
    )
    assert body["data"]["categories"]["totalCount"] == 1
    body = await q(
        client,
        workspace,
        "query($p: ID!) { categories(filter: {parentId: $p}) { edges { node { title } } } }",
        {"p": str(root.id)},
    )
    assert [e["node"]["title"] for e in body["data"]["categories"]["edges"]] == ["Child"]


async def test_brand_and_offer_relations(client, workspace, services):
    acme = await helpers.brand(services, workspace)
    p = await helpers.product(services, workspace, brand_id=acme.id)
    o = await helpers.offer(services, workspace, product_ids=[p.id], merchant="ebay")
    body = await q(client, workspace, "{ brands { edges { node { title productsCount products { productId } } } } }")
    assert body["data"]["brands"]["edges"] == [
        {"node": {"title": "Acme", "productsCount": 1, "products": [{"productId": p.id}]}}
    ]
    body = await q(
        client,
        workspace,
        'query($p: ID!) { offers(filter: {productId: $p, merchant: "ebay"}, sort: {field: PRICE}) '
        "{ totalCount edges { node { offerId products { title } } } } }",
        {"p": str(p.id)},
    )
    assert body["data"]["offers"] == {
        "totalCount": 1,
        "edges": [{"node": {"offerId": o.id, "products": [{"title": "Example Product"}]}}],
    }


async def test_mutations_and_user_errors(client, workspace, services):
    body = await q(
        client,
        workspace,
        'mutation { createBrand(input: {title: "Acme"}) { brand { id slug } userErrors { field code message } } }',
    )
    brand = body["data"]["createBrand"]["brand"]
    assert brand["slug"] == "acme" and body["data"]["createBrand"]["userErrors"] == []

    body = await q(
        client,
        workspace,
        'mutation($b: ID!) { createProduct(input: {title: "Trail Shoe", brandId: $b, highlights: ["Grip"],'
        ' keywords: [{group: "primary", keywords: ["trail"]}], attributes: {colour: "red"}, market: "us"})'
        " { product { id productId title highlights keywords attributes market brand { id } } userErrors { field } } }",
        {"b": brand["id"]},
    )
    payload = body["data"]["createProduct"]
    assert payload["userErrors"] == []
    product = payload["product"]
    assert product["brand"] == {"id": brand["id"]} and product["highlights"] == ["Grip"]
    assert product["keywords"] == [{"group": "primary", "keywords": ["trail"]}] and product["attributes"] == {
        "colour": "red"
    }

    body = await q(
        client,
        workspace,
        'mutation { createProduct(input: {title: "", reviewQuantity: 3})'
        " { product { id } userErrors { field code message } } }",
    )
    assert body["data"]["createProduct"] == {
        "product": None,
        "userErrors": [{"field": "title", "code": "INVALID_INPUT", "message": "This field is required."}],
    }
    body = await q(
        client,
        workspace,
        'mutation { createProduct(input: {subtitle: "no title"}) { product { id } userErrors { field } } }',
    )
    assert body["data"]["createProduct"]["userErrors"] == [{"field": "title"}]

    body = await q(
        client,
        workspace,
        'mutation($id: ID!) { updateProduct(id: $id, input: {title: "Renamed", brandId: null})'
        " { product { title brand { id } } userErrors { field } } }",
        {"id": product["id"]},
    )
    assert body["data"]["updateProduct"] == {"product": {"title": "Renamed", "brand": None}, "userErrors": []}

    # Categories: create, cycle refused, product links set.
    body = await q(client, workspace, 'mutation { createCategory(input: {title: "A"}) { category { id } } }')
    a = body["data"]["createCategory"]["category"]["id"]
    body = await q(
        client,
        workspace,
        'mutation($p: ID!) { createCategory(input: {title: "B", parentId: $p}) { category { id parent { id } } } }',
        {"p": a},
    )
    b = body["data"]["createCategory"]["category"]
    assert b["parent"] == {"id": a}
    body = await q(
        client,
        workspace,
        "mutation($id: ID!, $p: ID!) { updateCategory(id: $id, input: {parentId: $p})"
        " { category { id } userErrors { field code } } }",
        {"id": a, "p": b["id"]},
    )
    assert body["data"]["updateCategory"] == {
        "category": None,
        "userErrors": [{"field": "parentId", "code": "CATEGORY_CYCLE"}],
    }
    body = await q(
        client,
        workspace,
        "mutation($id: ID!, $c: [ID!]!) { setProductCategories(id: $id, categoryIds: $c)"
        " { product { categories { id } } userErrors { field } } }",
        {"id": product["id"], "c": [a, b["id"]]},
    )
    assert body["data"]["setProductCategories"]["product"]["categories"] == [{"id": a}, {"id": b["id"]}]
    body = await q(
        client,
        workspace,
        "mutation($id: ID!, $c: [ID!]!) { setProductCategories(id: $id, categoryIds: $c)"
        " { product { id } userErrors { field } } }",
        {"id": product["id"], "c": ["999999"]},
    )
    assert body["data"]["setProductCategories"] == {"product": None, "userErrors": [{"field": "categoryIds.0"}]}

    # Offers: create, link, delete.
    body = await q(
        client,
        workspace,
        'mutation { createOffer(input: {merchant: "amazon", merchantOfferId: "B0GR52QJCF", title: "Amazon Product",'
        ' urlDetail: "https://www.amazon.com/dp/B0GR52QJCF", price: 9.99})'
        " { offer { id price } userErrors { field } } }",
    )
    offer = body["data"]["createOffer"]["offer"]
    assert offer["price"] == 9.99
    body = await q(
        client,
        workspace,
        "mutation($id: ID!, $p: [ID!]!) { setOfferProducts(id: $id, productIds: $p)"
        " { offer { products { id } } userErrors { field } } }",
        {"id": offer["id"], "p": [product["id"]]},
    )
    assert body["data"]["setOfferProducts"]["offer"]["products"] == [{"id": product["id"]}]
    body = await q(
        client, workspace, 'mutation { createOffer(input: {title: "x"}) { offer { id } userErrors { field } } }'
    )
    fields = {e["field"] for e in body["data"]["createOffer"]["userErrors"]}
    assert {"merchant", "urlDetail"} <= fields

    for type_name, gid in (("Offer", offer["id"]), ("Product", product["id"]), ("Category", a), ("Brand", brand["id"])):
        body = await q(
            client,
            workspace,
            f"mutation($id: ID!) {{ delete{type_name}(id: $id) {{ deletedId userErrors {{ code }} }} }}",
            {"id": gid},
        )
        assert next(iter(body["data"].values())) == {"deletedId": gid, "userErrors": []}
    r = await client.get("/api/products", headers=workspace.headers())
    assert r.json()["meta"]["total"] == 0
    r = await client.get("/api/categories", headers=workspace.headers())
    assert [(c["title"], c["parent_id"]) for c in r.json()["data"]] == [("B", None)]


async def test_global_ids_of_another_type_are_not_found(client, workspace, services):
    acme = await helpers.brand(services, workspace)
    body = await q(client, workspace, "query($id: ID!) { brand(id: $id) { id } }", {"id": str(acme.id)})
    brand_gid = body["data"]["brand"]["id"]
    body = await q(client, workspace, "query($id: ID!) { product(id: $id) { id } }", {"id": brand_gid})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_bad_input_through_graphql_writes_nothing(client, workspace, services):
    cases = [
        ('createProduct(input: {title: "%s"})' % ("x" * 256), "title"),
        ('createProduct(input: {title: "T", brandId: "999999"})', "brandId"),
        ('createProduct(input: {title: "T", highlights: "fast"})', "highlights"),
        ('createProduct(input: {title: "T", attributes: [1]})', "attributes"),
        ('createProduct(input: {title: "T", metaTitle: "%s"})' % ("m" * 256), "metaTitle"),
    ]
    for call_text, field in cases:
        body = await q(
            client, workspace, f"mutation {{ {call_text} {{ product {{ id }} userErrors {{ field code }} }} }}"
        )
        assert body["data"]["createProduct"] == {
            "product": None,
            "userErrors": [{"field": field, "code": "INVALID_INPUT"}],
        }, call_text
    body = await q(client, workspace, "{ products { totalCount } }")
    assert body["data"]["products"]["totalCount"] == 0
    body = await q(client, workspace, "{ products(sort: {field: TITLE}, first: 0) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_read_only_key_cannot_mutate_through_graphql(client, workspace, services):
    key = await helpers.make_key(services, workspace, ["read"])
    p = await helpers.product(services, workspace)
    _status, body = await gql(
        client,
        'mutation($id: ID!) { updateProduct(id: $id, input: {title: "x"}) { product { id } } }',
        {"id": str(p.id)},
        token=key,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["message"] == "This token does not have write access."
    _status, body = await gql(client, "{ products { edges { node { title } } } }", token=key)
    assert body["data"]["products"]["edges"] == [{"node": {"title": "Example Product"}}]
