"""Content tests run the app with the real ``content.generation`` job kind.

A test marked ``@pytest.mark.provider("openai")`` gets the OpenAI provider pointed at the fake
OpenAI-compatible server (``fake_openai``); otherwise the app runs offline (the offline composer).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from domain.content.jobs import CONTENT_GENERATION
from domain.jobs.registry import JobRegistry
from shopwright.app import build_app
from shopwright.settings import Settings
from tests.conftest import AppPool, LiveServer, make_test_registry, start_server, stop_server

EXAMPLE = Path(__file__).with_name("quantumtech_request.json")


def content_registry() -> JobRegistry:
    registry = make_test_registry()
    registry.register(CONTENT_GENERATION)
    return registry


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "provider(name): run the app with this AI provider (openai = fake server)")


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings_factory: Callable[..., Settings]) -> Settings:
    marker = request.node.get_closest_marker("provider")
    if marker is not None and marker.args[0] == "openai":
        fake = request.getfixturevalue("fake_openai")
        return settings_factory(**fake.settings(llm_max_retries=3))
    return settings_factory()


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, content_registry) as application:
        yield application


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    application = build_app(settings, registry=content_registry())
    live, server, task = await start_server(application)
    try:
        yield live
    finally:
        await stop_server(server, task)


@pytest.fixture
def example() -> dict[str, Any]:
    """The document's example submit body (QuantumTech Gadget, full content_config), as it stands."""
    body: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return body
