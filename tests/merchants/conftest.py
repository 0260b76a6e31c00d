"""Merchant tests: a fake merchant on loopback for the session (feed, PA-API 5, eBay), the app with the merchant
job kinds and its endpoints pointed at the fake, and a feed directory holding the merchant's CSV."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from domain.jobs.registry import JobRegistry
from domain.merchants.jobs import MERCHANT_KINDS
from domain.store.ai_flags import STORE_AI_KINDS
from shopwright.settings import Settings
from tests.conftest import AppPool, make_test_registry
from tests.merchants.fake_merchant import FakeMerchant
from tests.support.serving import serving


def merchant_registry() -> JobRegistry:
    registry = make_test_registry()
    for kind in (*MERCHANT_KINDS, *STORE_AI_KINDS):  # generate_content queues store.ai_content
        registry.register(kind)
    return registry


@pytest.fixture(scope="session")
async def _merchant_server() -> AsyncIterator[FakeMerchant]:
    fake = FakeMerchant()
    async with serving(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def merchant(_merchant_server: FakeMerchant) -> AsyncIterator[FakeMerchant]:
    _merchant_server.reset()
    yield _merchant_server
    _merchant_server.reset()


@pytest.fixture(scope="session")
def feed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feeds")


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], _merchant_server: FakeMerchant, feed_dir: Path) -> Settings:
    return settings_factory(
        merchant_paapi_base_url=_merchant_server.url,
        merchant_ebay_base_url=_merchant_server.url,
        merchant_feed_dir=feed_dir,
    )


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, merchant_registry) as application:
        yield application


def paapi_connection() -> dict[str, Any]:
    from tests.merchants.fake_merchant import ACCESS_KEY, PARTNER_TAG, SECRET_KEY

    return {
        "adapter": "amazon_paapi",
        "settings": {"partner_tag": PARTNER_TAG},
        "credentials": {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY},
    }
