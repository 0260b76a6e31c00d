"""``POST /swm/rs/v1/spaces/{spaceId}/products``: the document's sample, what is stored, and who may post."""

from __future__ import annotations

import httpx

from resolvers.context import AppServices
from tests.spaces.helpers import LINKED_PRODUCTS, SAMPLE, VARIANT_OPTIONS, Shop, counts, post, sample, stored_post


async def test_the_documents_sample_request_answers_201_with_a_content_id(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    response = await post(client, shop, shop.alice, SAMPLE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["response"] == {"code": "201.0", "developerMessage": "product resource created"}
    assert body["contentId"].isdigit()
    # No SMTP settings in this app: the document's flag, and nothing queued.
    assert body["emailConfigMissing"] is True
    assert list(body) == ["response", "contentId", "emailConfigMissing"]

    stored = await stored_post(services, shop.ws.workspace_id, body["contentId"])
    assert stored.space_id == shop.space_id
    assert stored.product_title == "Samsung - F90BN Camcorder"
    assert stored.product_currency_code == "USD"
    assert (stored.product_price, stored.product_sale_price) == ("699.99", "596.89")
    assert stored.product_url == SAMPLE["productUrl"]
    assert (stored.product_product_id, stored.product_sku_id) == ("camcorder_1", "camcordersku_1_2")
    assert stored.product_variant_options == VARIANT_OPTIONS
    assert stored.product_linked_products == LINKED_PRODUCTS
    assert stored.product_desired_quantity == 1
    assert stored.product_image_url == SAMPLE["productImageUrl"]
    assert stored.notification_product_price == "$596.00"
    assert stored.image_media_id is None
    assert await counts(services, shop.ws.workspace_id) == (1, 1, 0)


async def test_the_poster_owns_the_post_and_content_ids_differ(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    first = (await post(client, shop, shop.alice, SAMPLE)).json()["contentId"]
    second = (await post(client, shop, shop.bob, SAMPLE)).json()["contentId"]
    assert first != second
    by_alice = await stored_post(services, shop.ws.workspace_id, first)
    by_bob = await stored_post(services, shop.ws.workspace_id, second)
    assert by_alice.user_id != by_bob.user_id
    assert None not in (by_alice.user_id, by_bob.user_id)


async def test_optional_fields_left_out_take_the_documents_defaults(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    body = sample(
        productCurrencyCode=...,
        notificationProductPrice=...,
        productImageUrl=...,
        productLinkedProducts=...,
        productDesiredQuantity=...,
    )
    response = await post(client, shop, shop.alice, body)
    assert response.status_code == 201, response.text
    stored = await stored_post(services, shop.ws.workspace_id, response.json()["contentId"])
    assert stored.product_currency_code == "USD"
    assert stored.notification_product_price is None
    assert stored.product_image_url is None
    assert stored.product_linked_products is None
    assert stored.product_desired_quantity is None


async def test_blank_values_the_document_allows_pass_through(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    body = sample(
        productSalePrice="",
        productVariantOptions="",
        productLinkedProducts="",
        productDesiredQuantity="",
        productImageUrl="",
    )
    response = await post(client, shop, shop.alice, body)
    assert response.status_code == 201, response.text
    stored = await stored_post(services, shop.ws.workspace_id, response.json()["contentId"])
    assert (stored.product_sale_price, stored.product_variant_options, stored.product_linked_products) == ("", "", "")
    assert stored.product_desired_quantity is None
    assert stored.product_image_url == ""


async def test_an_api_key_posts_as_the_member_who_created_it(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    # The workspace's default key was created by its owner, who created the space and is its owner.
    response = await post(client, shop, shop.ws.api_key, SAMPLE)
    assert response.status_code == 201, response.text
    stored = await stored_post(services, shop.ws.workspace_id, response.json()["contentId"])
    assert stored.user_id == shop.ws.owner_user_id


async def test_quantities_and_currency_codes_the_rules_allow(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    for quantity, currency, expected in ((0, "eur", 0.0), (2.5, "A1B", 2.5), ("3", "123", 3.0)):
        body = sample(productDesiredQuantity=quantity, productCurrencyCode=currency)
        response = await post(client, shop, shop.alice, body)
        assert response.status_code == 201, response.text
        stored = await stored_post(services, shop.ws.workspace_id, response.json()["contentId"])
        assert (stored.product_desired_quantity, stored.product_currency_code) == (expected, currency)
