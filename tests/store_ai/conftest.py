"""Store AI tests: the app with the store AI job kinds, the fake stock-photo server on loopback (images
downloaded from it: private addresses allowed), and Pro workspaces whose balance is what the test grants."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from domain.accounts.credits import CreditsService
from domain.jobs.registry import JobRegistry
from domain.store.ai_flags import STORE_AI_KINDS
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool, make_test_registry
from tests.store.conftest import UA
from tests.store_ai.fake_stock import KEYS, FakeStock, running_fake_stock
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.jobs import wait_for

EXACT_PLANS = {"free": 0, "pro": 0, "growth": 0}


def store_ai_registry() -> JobRegistry:
    registry = make_test_registry()
    for kind in STORE_AI_KINDS:
        registry.register(kind)
    return registry


@pytest.fixture(scope="session")
async def _stock_server() -> AsyncIterator[FakeStock]:
    async with running_fake_stock() as fake:
        yield fake


@pytest.fixture
def stock(_stock_server: FakeStock) -> FakeStock:
    _stock_server.reset()
    return _stock_server


@pytest.fixture
def extra_settings() -> dict[str, Any]:
    """Overridden by test modules that run with the fake OpenAI server."""
    return {}


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], stock: FakeStock, extra_settings: dict[str, Any]) -> Settings:
    return settings_factory(image_fetch_allow_private=True, plans=EXACT_PLANS, **stock.settings(), **extra_settings)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, store_ai_registry) as application:
        yield application


@pytest.fixture
async def pro(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Camera Corner", plan="pro", credits=500)


@pytest.fixture
def h(pro: WorkspaceInfo) -> dict[str, str]:
    return {"Authorization": f"Bearer {pro.api_key}", **UA}


async def set_settings(client: httpx.AsyncClient, h: dict[str, str], **values: Any) -> None:
    r = await client.patch("/api/settings", headers=h, json=values)
    assert r.status_code == 200, r.text


async def with_stock_keys(client: httpx.AsyncClient, h: dict[str, str], *providers: str) -> None:
    await set_settings(client, h, **{f"store_{p}_api_key": KEYS[p] for p in providers})


async def finished(services: AppServices, job_ref: str, status: str = "completed") -> Any:
    job = await wait_for(services, job_ref.removeprefix("job_"), {"completed", "failed", "cancelled"})
    assert job.status == status, (job.status, job.error_code, job.error_message)
    return job


async def balance(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.unit_of_work() as uow:
        return (await CreditsService(uow, services.plans).balance(ws.workspace_id)).total
