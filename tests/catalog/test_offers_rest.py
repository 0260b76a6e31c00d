"""Store API offers: every endpoint, the document's example body, the deprecated alias, and ``url_detail`` (the
document's "full URL to the product on the merchant site": an absolute http(s) URL, checked on create and
update, over REST and GraphQL, with nothing written when it is not one)."""

from __future__ import annotations

import pytest

from tests.catalog import helpers
from tests.support.graphql import gql

OFFER_FIELDS = {
    "id", "uuid", "merchant", "merchant_offer_id", "merchant_product_id", "title", "summary", "features",
    "currency", "price", "price_full", "min_price", "max_price", "condition", "stock_available", "enabled",
    "locale", "images", "url_detail", "created_at", "updated_at",
}  # fmt: skip


async def test_create_offer_with_the_documented_example_body(client, workspace):
    r = await client.post("/api/offers", json=helpers.OFFER_EXAMPLE, headers=workspace.headers())
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert set(data) == OFFER_FIELDS
    assert data["merchant"] == "amazon" and data["title"] == "Amazon Product"
    assert data["merchant_offer_id"] == "B0GR52QJCF" and data["merchant_product_id"] == "B0GR52QJCF"
    assert data["url_detail"] == "https://www.amazon.com/dp/B0GR52QJCF"
    r = await client.get(f"/api/offers/{data['id']}", headers=workspace.headers())
    assert r.status_code == 200 and r.json()["data"] == data


async def test_every_documented_offer_field(client, workspace):
    body = {
        **helpers.OFFER_EXAMPLE,
        "uuid": "amzn-B0GR52QJCF-us",
        "summary": "Nice",
        "features": ["Waterproof"],
        "currency": "USD",
        "price": 19.99,
        "price_full": 24.5,
        "min_price": 18,
        "max_price": 25,
        "condition": "new",
        "stock_available": False,
        "enabled": False,
        "locale": "us",
        "images": ["https://example.com/a.jpg"],
    }
    r = await client.post("/api/offers", json=body, headers=workspace.headers())
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    for key, value in body.items():
        assert data[key] == value, key
    assert isinstance(data["min_price"], float)


async def test_deprecated_merchant_product_id_is_accepted_and_wins(client, workspace):
    body = {k: v for k, v in helpers.OFFER_EXAMPLE.items() if k != "merchant_offer_id"}
    r = await client.post(
        "/api/offers", json={**body, "merchant_product_id": "B000LEGACY"}, headers=workspace.headers()
    )
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["merchant_offer_id"] == data["merchant_product_id"] == "B000LEGACY"
    r = await client.post(
        "/api/offers", json={**helpers.OFFER_EXAMPLE, "merchant_product_id": "B000ALIAS"}, headers=workspace.headers()
    )
    assert r.json()["data"]["merchant_offer_id"] == "B000ALIAS"
    r = await client.patch(
        f"/api/offers/{data['id']}", json={"merchant_product_id": "B000NEW"}, headers=workspace.headers()
    )
    assert r.json()["data"]["merchant_offer_id"] == "B000NEW"
    # Neither given: required.
    r = await client.post("/api/offers", json=body, headers=workspace.headers())
    assert r.status_code == 422
    assert r.json()["errors"] == {"merchant_offer_id": ["The merchant offer id field is required."]}


async def test_required_offer_fields(client, workspace):
    r = await client.post("/api/offers", json={}, headers=workspace.headers())
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["merchant"] == ["The merchant field is required."]
    assert errors["title"] == ["The title field is required."]
    assert errors["url_detail"] == ["The url detail field is required."]
    assert r.json()["message"].startswith("The merchant field is required. (and ")


async def test_update_and_delete_offer(client, workspace, services):
    p = await helpers.product(services, workspace)
    o = await helpers.offer(services, workspace, product_ids=[p.id])
    r = await client.patch(f"/api/offers/{o.id}", json={"price": 9.5, "title": "Cheaper"}, headers=workspace.headers())
    assert r.status_code == 200
    assert r.json()["data"]["price"] == 9.5 and r.json()["data"]["merchant"] == "amazon"
    r = await client.delete(f"/api/offers/{o.id}", headers=workspace.headers())
    assert r.status_code == 204 and r.content == b""
    assert (await client.get(f"/api/offers/{o.id}", headers=workspace.headers())).status_code == 404
    r = await client.get(f"/api/products/{p.id}/offers", headers=workspace.headers())
    assert r.json()["meta"]["total"] == 0


async def test_list_offers_filters(client, workspace, services):
    p = await helpers.product(services, workspace)
    a = await helpers.offer(services, workspace, title="Red Kettle", product_ids=[p.id])
    b = await helpers.offer(services, workspace, title="Blue Kettle", merchant="ebay", enabled=False)
    c = await helpers.offer(services, workspace, title="Toaster", merchant="etsy")

    async def ids_for(query: str) -> list[int]:
        r = await client.get(f"/api/offers?sort_by=id&sort_dir=asc&{query}", headers=workspace.headers())
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["data"]]

    assert await ids_for("") == [a.id, b.id, c.id]
    assert await ids_for("search=kettle") == [a.id, b.id]
    assert await ids_for("merchant=ebay") == [b.id]
    assert await ids_for("enabled=false") == [b.id]
    assert await ids_for(f"product_id={p.id}") == [a.id]
    r = await client.get("/api/offers", headers=workspace.headers())
    assert r.json()["data"][0]["id"] == c.id  # newest first by default
    assert r.json()["meta"]["per_page"] == 15


async def test_enabled_merchants(client, workspace, services):
    """The merchants the store's offers settings enable (Amazon by default), whatever its offers are."""
    r = await client.get("/api/offers/merchants", headers=workspace.headers())
    assert r.status_code == 200 and r.json() == {"data": {"amazon": "Amazon"}}
    await helpers.offer(services, workspace, merchant="walmart")
    settings = {"offers_amazon_enabled": False, "offers_ebay_enabled": True, "offers_etsy_enabled": True}
    assert (await client.patch("/api/settings", json=settings, headers=workspace.headers())).status_code == 200
    r = await client.get("/api/offers/merchants", headers=workspace.headers())
    assert r.json() == {"data": {"ebay": "eBay", "etsy": "Etsy"}}


async def test_sync_offer_products(client, workspace, services):
    p1 = await helpers.product(services, workspace, title="One")
    p2 = await helpers.product(services, workspace, title="Two")
    p3 = await helpers.product(services, workspace, title="Three")
    r = await client.post("/api/offers", json=helpers.OFFER_EXAMPLE, headers=workspace.headers())
    offer_id = r.json()["data"]["id"]
    r = await client.post(
        f"/api/offers/{offer_id}/products", json={"product_ids": [p1.id, p2.id, p3.id]}, headers=workspace.headers()
    )
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["data"]] == [p1.id, p2.id, p3.id]
    r = await client.post(
        f"/api/offers/{offer_id}/products", json={"product_ids": [p2.id]}, headers=workspace.headers()
    )
    assert [x["id"] for x in r.json()["data"]] == [p2.id]
    for p, expected in ((p1, 0), (p2, 1), (p3, 0)):
        r = await client.get(f"/api/products/{p.id}/offers", headers=workspace.headers())
        assert r.json()["meta"]["total"] == expected


BAD = ["u", "www.amazon.com/dp/B0GR52QJCF", "ftp://files.example.com/x", "https://", "javascript:alert(1)"]


@pytest.mark.parametrize("url", BAD)
async def test_url_detail_must_be_an_http_url(client, workspace, services, url):
    headers = workspace.headers()
    r = await client.post("/api/offers", json={**helpers.OFFER_EXAMPLE, "url_detail": url}, headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == {"url_detail": ["The url detail field must be a valid URL."]}
    o = await helpers.offer(services, workspace)
    r = await client.patch(f"/api/offers/{o.id}", json={"url_detail": url, "title": "Renamed"}, headers=headers)
    assert r.status_code == 422 and "url_detail" in r.json()["errors"]
    got = (await client.get(f"/api/offers/{o.id}", headers=headers)).json()["data"]
    assert (got["title"], got["url_detail"]) == (helpers.OFFER_EXAMPLE["title"], helpers.OFFER_EXAMPLE["url_detail"])
    assert (await client.get("/api/offers", headers=headers)).json()["meta"]["total"] == 1

    _, body = await gql(
        client,
        'mutation($u: String!) { createOffer(input: {merchant: "amazon", title: "T", merchantOfferId: "B0",'
        " urlDetail: $u}) { offer { id } userErrors { field } } }",
        {"u": url},
        token=workspace.api_key,
    )
    assert body["data"]["createOffer"] == {"offer": None, "userErrors": [{"field": "urlDetail"}]}


async def test_http_and_https_urls_are_accepted(client, workspace):
    for url in ("https://www.amazon.com/dp/B0GR52QJCF", "http://shop.example.com/p?id=1", "HTTPS://EXAMPLE.COM/x"):
        r = await client.post(
            "/api/offers", json={**helpers.OFFER_EXAMPLE, "url_detail": url}, headers=workspace.headers()
        )
        assert r.status_code == 201, r.text
        assert r.json()["data"]["url_detail"] == url
