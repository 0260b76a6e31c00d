"""Spaces tests: a shop (``helpers.make_shop``) on the shared app, without a mailer unless a test asks for the
loopback SMTP server (``tests.support.smtp``)."""

from __future__ import annotations

import pytest

from resolvers.context import AppServices
from tests.spaces.helpers import Shop, make_shop
from tests.support.smtp import _smtp_server, smtp  # noqa: F401  (fixtures)


@pytest.fixture
async def shop(services: AppServices) -> Shop:
    return await make_shop(services)
