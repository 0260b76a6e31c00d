"""Every field rule of the document, each with its boundaries, and the refusals: each answered in the
document's envelope with its code, and nothing written (no post, no place taken, no mail queued)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.spaces.helpers import SAMPLE, Shop, counts, make_shop, post, sample

OK = "201.0"

# (the changes to the sample, the field at fault, the expected code); "..." leaves the field out.
CASES: list[tuple[str, dict[str, Any], str | None, str]] = [
    # productCurrencyCode: optional (USD), three letters or digits, never blank.
    ("currency of 3", {"productCurrencyCode": "EUR"}, None, OK),
    ("currency of 2", {"productCurrencyCode": "US"}, "productCurrencyCode", "400.4"),
    ("currency of 4", {"productCurrencyCode": "USDX"}, "productCurrencyCode", "400.4"),
    ("currency blank", {"productCurrencyCode": ""}, "productCurrencyCode", "400.1"),
    ("currency spaces", {"productCurrencyCode": "   "}, "productCurrencyCode", "400.1"),
    ("currency symbol", {"productCurrencyCode": "US$"}, "productCurrencyCode", "400.4"),
    ("currency non-ascii", {"productCurrencyCode": "ДОЛ"}, "productCurrencyCode", "400.4"),
    ("currency null", {"productCurrencyCode": None}, "productCurrencyCode", "400.2"),
    ("currency number", {"productCurrencyCode": 840}, "productCurrencyCode", "400.2"),
    # notificationProductPrice: optional, 2 to 30 characters of any script, never blank.
    ("notification price of 1", {"notificationProductPrice": "$"}, "notificationProductPrice", "400.3"),
    ("notification price of 2", {"notificationProductPrice": "$5"}, None, OK),
    ("notification price of 30", {"notificationProductPrice": "€" + "9" * 29}, None, OK),
    ("notification price of 31", {"notificationProductPrice": "€" + "9" * 30}, "notificationProductPrice", "400.3"),
    ("notification price yen", {"notificationProductPrice": "¥400"}, None, OK),
    ("notification price devanagari", {"notificationProductPrice": "₹४००"}, None, OK),
    ("notification price A$", {"notificationProductPrice": "A$14.89"}, None, OK),
    ("notification price blank", {"notificationProductPrice": ""}, "notificationProductPrice", "400.1"),
    ("notification price spaces", {"notificationProductPrice": "    "}, "notificationProductPrice", "400.1"),
    ("notification price number", {"notificationProductPrice": 596}, "notificationProductPrice", "400.2"),
    # productImageUrl: optional, blank passes, else absolute http(s) on the store's domain.
    ("image without protocol", {"productImageUrl": "mystore.example.com/images/a.jpg"}, "productImageUrl", "400.4"),
    ("image relative", {"productImageUrl": "/images/a.jpg"}, "productImageUrl", "400.4"),
    ("image ftp", {"productImageUrl": "ftp://mystore.example.com/a.jpg"}, "productImageUrl", "400.4"),
    ("image other domain", {"productImageUrl": "https://cdn.elsewhere.com/a.jpg"}, "productImageUrl", "400.5"),
    ("image subdomain", {"productImageUrl": "https://img.mystore.example.com/a.jpg"}, "productImageUrl", "400.5"),
    ("image lookalike", {"productImageUrl": "http://mystore.example.com.evil.io/a.jpg"}, "productImageUrl", "400.5"),
    ("image userinfo", {"productImageUrl": "http://mystore.example.com@evil.io/a.jpg"}, "productImageUrl", "400.5"),
    ("image https", {"productImageUrl": "https://MyStore.Example.com:8443/a.jpg"}, None, OK),
    # productVariantOptions: required, may be blank, at most 1000 characters.
    ("variants of 1000", {"productVariantOptions": "v" * 1000}, None, OK),
    ("variants of 1001", {"productVariantOptions": "v" * 1001}, "productVariantOptions", "400.3"),
    ("variants missing", {"productVariantOptions": ...}, "productVariantOptions", "400.1"),
    ("variants not text", {"productVariantOptions": [{"optionName": "color"}]}, "productVariantOptions", "400.2"),
    # productLinkedProducts: optional, may be blank, at most 1000 characters.
    ("linked of 1000", {"productLinkedProducts": "ü" * 1000}, None, OK),
    ("linked of 1001", {"productLinkedProducts": "ü" * 1001}, "productLinkedProducts", "400.3"),
    # productDesiredQuantity: optional, may be blank, else a non-negative number.
    ("quantity negative", {"productDesiredQuantity": -1}, "productDesiredQuantity", "400.4"),
    ("quantity text", {"productDesiredQuantity": "two"}, "productDesiredQuantity", "400.2"),
    ("quantity boolean", {"productDesiredQuantity": True}, "productDesiredQuantity", "400.2"),
    # productSalePrice: required, may be blank.
    ("sale price missing", {"productSalePrice": ...}, "productSalePrice", "400.1"),
    ("sale price null", {"productSalePrice": None}, "productSalePrice", "400.1"),
    # The other required fields: present and not blank; strings.
    ("title missing", {"productTitle": ...}, "productTitle", "400.1"),
    ("title blank", {"productTitle": "  "}, "productTitle", "400.1"),
    ("price missing", {"productPrice": ...}, "productPrice", "400.1"),
    ("price a number", {"productPrice": 699.99}, "productPrice", "400.2"),
    ("url missing", {"productUrl": ...}, "productUrl", "400.1"),
    ("product id blank", {"productProductId": ""}, "productProductId", "400.1"),
    ("sku id missing", {"productSkuId": ...}, "productSkuId", "400.1"),
]


@pytest.mark.parametrize(("changes", "field", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_field_rule(
    client: httpx.AsyncClient,
    services: AppServices,
    shop: Shop,
    changes: dict[str, Any],
    field: str | None,
    code: str,
) -> None:
    response = await post(client, shop, shop.alice, sample(**changes))
    body = response.json()
    assert body["response"]["code"] == code, body
    if code == OK:
        assert response.status_code == 201
        assert await counts(services, shop.ws.workspace_id) == (1, 1, 0)
        return
    assert response.status_code == 400
    assert body["errors"] == [{"field": field, "code": code, "developerMessage": body["errors"][0]["developerMessage"]}]
    assert body["response"]["developerMessage"].startswith(f"{field}: ")
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_every_problem_of_a_body_is_reported_at_once(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    body = sample(productTitle=..., productCurrencyCode="US", notificationProductPrice="x" * 31)
    response = await post(client, shop, shop.alice, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("productTitle", "400.1"),
        ("productCurrencyCode", "400.4"),
        ("notificationProductPrice", "400.3"),
    ]
    assert response.json()["response"]["code"] == "400.1"
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


@pytest.mark.parametrize(
    "raw",
    [b'{"productTitle": "x",', b"not json", b"[1, 2]", b'"a string"', b""],
    ids=["truncated", "text", "array", "string", "empty"],
)
async def test_a_malformed_body_is_400_0(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, raw: bytes
) -> None:
    response = await post(client, shop, shop.alice, raw)
    assert response.status_code == 400
    assert response.json()["response"]["code"] == "400.0"
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_a_workspace_member_outside_the_space_is_403_1(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    response = await post(client, shop, shop.carol, SAMPLE)
    assert response.status_code == 403
    assert response.json() == {"response": {"code": "403.1", "developerMessage": "not space member"}}
    # Membership is checked before the body: a bad body from a non-member is still 403.1.
    response = await post(client, shop, shop.carol, sample(productTitle=...))
    assert response.json()["response"]["code"] == "403.1"
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_the_max_products_limit_is_403_4(client: httpx.AsyncClient, services: AppServices) -> None:
    shop = await make_shop(services, max_products=2)
    for _ in range(2):
        assert (await post(client, shop, shop.alice, SAMPLE)).status_code == 201
    response = await post(client, shop, shop.bob, SAMPLE)
    assert response.status_code == 403
    assert response.json() == {"response": {"code": "403.4", "developerMessage": "max products reached"}}
    assert await counts(services, shop.ws.workspace_id) == (2, 2, 0)


async def test_posts_racing_for_the_last_places_never_exceed_the_limit(
    client: httpx.AsyncClient, services: AppServices
) -> None:
    import asyncio

    shop = await make_shop(services, max_products=3)
    answers = await asyncio.gather(*(post(client, shop, shop.alice, SAMPLE) for _ in range(8)))
    assert sorted(r.status_code for r in answers) == [201] * 3 + [403] * 5
    assert await counts(services, shop.ws.workspace_id) == (3, 3, 0)


async def test_a_viewer_lacks_the_permission_to_post(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    response = await post(client, shop, shop.vera, SAMPLE)
    assert response.status_code == 403
    assert response.json()["response"]["code"] == "403.0"
    assert response.json()["response"]["developerMessage"] == "This token does not have write access."
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_unknown_spaces_and_other_workspaces_spaces_are_404(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    other = await make_shop(services)
    for space_id in (other.space_id, 999999):
        response = await post(client, shop, shop.alice, SAMPLE, space_id=space_id)
        assert response.status_code == 404
        assert response.json()["response"]["code"] == "404.0"
    response = await client.post("/swm/rs/v1/spaces/abc/products", json=SAMPLE, headers=shop.headers(shop.alice))
    assert response.status_code == 404
    assert await counts(services, other.ws.workspace_id) == (0, 0, 0)


async def test_no_credentials_is_401_in_the_envelope(client: httpx.AsyncClient, shop: Shop) -> None:
    response = await client.post(shop.path(), json=SAMPLE)
    assert response.status_code == 401
    assert response.json()["response"]["code"] == "401.0"
    response = await client.get(shop.path())
    assert response.status_code == 405
    assert response.json()["response"]["code"] == "405.0"
