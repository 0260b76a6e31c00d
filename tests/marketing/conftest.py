"""Marketing tests run the app with the posts job kind (offline unless a test points it at the fake OpenAI
server)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.marketing.helpers import marketing_registry


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, marketing_registry) as application:
        yield application
