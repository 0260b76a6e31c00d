"""The product list's plain-row reads (``CatalogRepository.product_row_page`` and the relation rows), whose
statements are built once per shape and take their values as binds: every filter, alone and together, the
search's wildcards taken literally, sorting and paging, the same answer on a second call (the statement reused)
and no row of another workspace, on the REST page and on GraphQL's."""

from __future__ import annotations

from typing import Any

from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from tests.store.conftest import ok

TITLES = ["100% cotton", "100 cotton", "a_b shirt", "ab shirt", "a/b hat", "ab hat", "Plain"]


async def _seed(services: Any, ws_id: str) -> dict[str, int]:
    async with services.unit_of_work() as uow:
        s = uow.session
        brand, other_brand = (
            Brand(workspace_id=ws_id, slug="b", title="B"),
            Brand(workspace_id=ws_id, slug="c", title="C"),
        )
        category = Category(workspace_id=ws_id, slug="cat", title="Cat")
        s.add_all([brand, other_brand, category])
        await s.flush()
        products = [
            Product(
                workspace_id=ws_id,
                slug=f"p{i}",
                title=title,
                enabled=i % 2 == 0,
                generated=i % 3 == 0,
                brand_id=brand.id if i < 4 else other_brand.id,
            )
            for i, title in enumerate(TITLES)
        ]
        s.add_all(products)
        await s.flush()
        s.add_all(
            ProductCategory(workspace_id=ws_id, product_id=p.id, category_id=category.id, position=0)
            for p in products[::2]
        )
        offer = Offer(workspace_id=ws_id, merchant="m", merchant_offer_id="o1", title="Offer", url_detail="https://o/1")
        s.add(offer)
        await s.flush()
        s.add(OfferProduct(workspace_id=ws_id, offer_id=offer.id, product_id=products[0].id))
        return {"brand": brand.id, "category": category.id, **{t: p.id for t, p in zip(TITLES, products, strict=True)}}


def _expected(ids: dict[str, int], **f: Any) -> list[str]:
    out = []
    for i, title in enumerate(TITLES):
        if "search" in f and f["search"].lower() not in title.lower():
            continue
        if "enabled" in f and f["enabled"] != (i % 2 == 0):
            continue
        if "generated" in f and f["generated"] != (i % 3 == 0):
            continue
        if "brand_id" in f and i >= 4:
            continue
        if "category_id" in f and i % 2:
            continue
        out.append(title)
    return sorted(out)


async def test_every_filter_and_its_combinations(client, h, services, workspace, other_workspace):
    ids = await _seed(services, workspace.workspace_id)
    await _seed(services, other_workspace.workspace_id)  # the same titles in another store: never listed
    cases: list[dict[str, Any]] = [
        {},
        {"search": "100%"},
        {"search": "a_b"},
        {"search": "a/b"},
        {"search": "%"},
        {"search": "_"},
        {"search": "COTTON"},
        {"enabled": True},
        {"enabled": False, "generated": False},
        {"generated": True},
        {"brand_id": ids["brand"]},
        {"category_id": ids["category"]},
        {"search": "shirt", "enabled": True, "brand_id": ids["brand"], "category_id": ids["category"]},
        {"search": "a", "generated": False, "category_id": ids["category"]},
    ]
    for _ in range(2):  # the second time through, every statement is one built before
        for f in cases:
            params = {k: (int(v) if isinstance(v, bool) else v) for k, v in f.items()}
            body = ok(await client.get("/api/products", headers=h, params={**params, "per_page": 50}))
            titles = sorted(p["title"] for p in body["data"])
            assert titles == _expected(ids, **f), f
            assert body["meta"]["total"] == len(titles), f


async def test_sorting_paging_and_relations(client, h, services, workspace, other_workspace):
    ids = await _seed(services, workspace.workspace_id)
    await _seed(services, other_workspace.workspace_id)
    seen: list[str] = []
    for page in (1, 2, 3):
        body = ok(
            await client.get(
                "/api/products", headers=h, params={"sort_by": "id", "sort_dir": "asc", "per_page": 3, "page": page}
            )
        )
        assert body["meta"]["total"] == len(TITLES)
        seen += [p["title"] for p in body["data"]]
    assert seen == TITLES
    body = ok(await client.get("/api/products", headers=h, params={"sort_by": "id", "per_page": 2}))
    assert [p["title"] for p in body["data"]] == TITLES[::-1][:2]  # desc when sort_by is given
    body = ok(
        await client.get("/api/products", headers=h, params={"include": "brand,offers,categories", "per_page": 50})
    )
    by_title = {p["title"]: p for p in body["data"]}
    assert by_title["100% cotton"]["brand"]["id"] == ids["brand"]
    assert [o["title"] for o in by_title["100% cotton"]["offers"]] == ["Offer"]
    assert [c["id"] for c in by_title["100% cotton"]["categories"]] == [ids["category"]]
    assert by_title["100 cotton"]["categories"] == [] and by_title["100 cotton"]["offers"] == []
    assert by_title["Plain"]["brand"]["title"] == "C"


async def test_graphql_page_with_a_literal_search_and_its_relations(client, services, workspace, other_workspace):
    await _seed(services, workspace.workspace_id)
    await _seed(services, other_workspace.workspace_id)
    query = """query($search: String) {
      products(first: 50, filter: {search: $search}) {
        totalCount
        edges { node { title brand { title } categories { title } offers { title } } }
      }
    }"""
    for search, titles in (("100%", ["100% cotton"]), ("a_b", ["a_b shirt"]), ("a/b", ["a/b hat"])):
        response = await client.post(
            "/graphql", headers=workspace.headers(), json={"query": query, "variables": {"search": search}}
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        products = body["data"]["products"]
        assert products["totalCount"] == 1 and [e["node"]["title"] for e in products["edges"]] == titles
        node = products["edges"][0]["node"]
        assert node["brand"]["title"] in ("B", "C")
