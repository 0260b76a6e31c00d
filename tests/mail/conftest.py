"""Mail tests run the app against the session's loopback SMTP server (``tests.support.smtp``), with the test job
kinds plus ``mail.send``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from starlette.applications import Starlette

from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.support.smtp import SmtpServer, _smtp_server, mail_settings, mail_test_registry, smtp  # noqa: F401


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], smtp: SmtpServer) -> Settings:  # noqa: F811
    return settings_factory(**mail_settings(smtp))


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, mail_test_registry) as application:
        yield application


@pytest.fixture
def services(app: Starlette) -> AppServices:
    result: AppServices = app.state.services
    return result
