"""Store AI operation tests: the app with these job kinds, offline unless a test is marked
``@pytest.mark.provider("openai")`` (then the text provider is the fake OpenAI-compatible server), and a
workspace whose credits are exactly what the test grants (no monthly credits)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from domain.accounts.credits import CreditsService
from domain.ai.models import AiUsage
from domain.jobs.models import Job
from domain.jobs.registry import JobRegistry
from domain.store.ai_ops.jobs import STORE_AI_OPS_KINDS
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool, make_test_registry
from tests.support.factories import WorkspaceInfo, make_workspace

EXACT_PLANS = {"free": 0, "pro": 0, "growth": 0}
STARTING_CREDITS = 50


def ops_registry() -> JobRegistry:
    registry = make_test_registry()
    for kind in STORE_AI_OPS_KINDS:
        registry.register(kind)
    return registry


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "provider(name): run the app with this AI provider (openai = fake server)")


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings_factory: Callable[..., Settings]) -> Settings:
    values: dict[str, Any] = {"plans": EXACT_PLANS}
    marker = request.node.get_closest_marker("provider")
    if marker is not None and marker.args[0] == "openai":
        fake = request.getfixturevalue("fake_openai")
        values.update(fake.settings(llm_max_retries=0))
    return settings_factory(**values)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, ops_registry) as application:
        yield application


@pytest.fixture
async def workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Leaf & Root", plan="pro", credits=STARTING_CREDITS)


@pytest.fixture
def h(workspace: WorkspaceInfo) -> dict[str, str]:
    return {"Authorization": f"Bearer {workspace.api_key}"}


async def balance(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.read() as session:
        return (await CreditsService(session, services.plans).balance(ws.workspace_id)).total


async def job_count(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.read() as session:
        found = await session.scalar(select(func.count()).select_from(Job).where(Job.workspace_id == ws.workspace_id))
        return int(found or 0)


async def tokens_used(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.read() as session:
        stmt = select(func.coalesce(func.sum(AiUsage.prompt_tokens + AiUsage.completion_tokens), 0)).where(
            AiUsage.workspace_id == ws.workspace_id
        )
        return int(await session.scalar(stmt) or 0)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()["data"]
