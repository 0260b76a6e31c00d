"""``url_detail`` is the document's "full URL to the product on the merchant site": an absolute http(s) URL,
checked on create and update, over REST and GraphQL, with nothing written when it is not one."""

from __future__ import annotations

import pytest

from tests.catalog import helpers
from tests.support.graphql import gql

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
