"""Content tests run the app with the real ``content.generation`` job kind.

A test marked ``@pytest.mark.provider("openai")`` gets the OpenAI provider pointed at the fake
OpenAI-compatible server (``fake_openai``); otherwise the app runs offline (the offline composer).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from domain.content.jobs import CONTENT_KINDS
from domain.jobs.registry import JobRegistry
from shopwright.settings import Settings
from tests.conftest import AppPool, LiveServer, live_app, make_test_registry
from tests.content.helpers import generate
from tests.support.factories import WorkspaceInfo

EXAMPLE = Path(__file__).with_name("quantumtech_request.json")


def content_registry() -> JobRegistry:
    registry = make_test_registry()
    for kind in CONTENT_KINDS:
        registry.register(kind)
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
    async with live_app(settings, content_registry) as live:
        yield live


@pytest.fixture
def example() -> dict[str, Any]:
    """The document's example submit body (QuantumTech Gadget, full content_config), as it stands."""
    body: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return body


@pytest.fixture
async def finished_job(client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]) -> str:
    """The id of a job of ``workspace`` that generated the example, completed."""
    job_id, _ = await generate(client, workspace, example)
    return job_id
