"""The store's domain when its url setting is unset: the configured public URL (SHOPWRIGHT_PUBLIC_URL), never
the Host header a caller sends; with neither, only blank or an uploaded image's link is taken."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.spaces.helpers import SAMPLE, counts, make_shop, post, sample


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(public_url="https://shop.example.net/")


async def test_the_public_urls_host_is_the_store_domain(client: httpx.AsyncClient, services: AppServices) -> None:
    shop = await make_shop(services, store_url=None)
    ours = sample(productImageUrl="https://shop.example.net/images/camcorder.jpg")
    assert (await post(client, shop, shop.alice, ours)).status_code == 201
    theirs = await post(client, shop, shop.alice, SAMPLE)
    assert theirs.status_code == 400
    assert theirs.json()["response"]["code"] == "400.5"
    assert "shop.example.net" in theirs.json()["response"]["developerMessage"]


async def test_the_store_url_setting_wins_over_the_public_url(client: httpx.AsyncClient, services: AppServices) -> None:
    shop = await make_shop(services)  # store_url http://mystore.example.com
    response = await post(client, shop, shop.alice, sample(productImageUrl="https://shop.example.net/a.jpg"))
    assert response.json()["response"]["code"] == "400.5"
    assert (await post(client, shop, shop.alice, SAMPLE)).status_code == 201


async def test_without_either_the_host_header_is_not_trusted(
    settings_factory: Callable[..., Settings], app_pool: object
) -> None:
    from tests.conftest import AppPool, make_test_registry
    from tests.support.serving import asgi_client

    assert isinstance(app_pool, AppPool)
    async with app_pool.use(settings_factory(), make_test_registry) as plain:
        plain_services: AppServices = plain.state.services
        shop = await make_shop(plain_services, store_url=None)
        async with asgi_client(plain) as own:
            # The caller's Host header names its own domain: still no store domain.
            response = await post(own, shop, shop.alice, sample(productImageUrl="http://testserver/a.jpg"))
            assert response.status_code == 400
            assert response.json()["response"]["code"] == "400.5"
            assert "no domain" in response.json()["response"]["developerMessage"]
            assert (await post(own, shop, shop.alice, sample(productImageUrl=""))).status_code == 201
        assert await counts(plain_services, shop.ws.workspace_id) == (1, 1, 0)
