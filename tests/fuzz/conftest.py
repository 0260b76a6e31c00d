"""The fuzz tests' app: every feature's job kinds registered, rate and cost limits lifted, callbacks held instead
of sent (a drawn callback URL may name any host); and a workspace on a paid plan with credits (so the listing
studio answers rather than refusing the plan) and a few rows of every kind."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.applications import Starlette

from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool, feature_registry
from tests.fuzz.engine import RUNS
from tests.fuzz.seeds import Seeds, seed
from tests.support.factories import WorkspaceInfo, make_workspace
from workers.runner import InProcessQueue

UNLIMITED = ("store.all", "listing.ai", "listing.products", "listing.all")


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    # Hundreds of requests a minute from one key are the point: the store's rate limit and the workspace's
    # GraphQL cost bucket would answer most of them 429 (their own tests prove both limits).
    return settings_factory(rate_limits=dict.fromkeys(UNLIMITED, 0), graphql_cost_bucket_size=10**9)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, feature_registry) as application:
        yield application


@pytest.fixture
async def workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Workspace A", plan="pro", credits=10**6)


@pytest.fixture
def held_callbacks(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Callback deliveries the run enqueued, held: never sent anywhere (restored after the test)."""
    queue = app.state.runtime.queue
    assert isinstance(queue, InProcessQueue)
    held: list[int] = []

    async def hold(delivery_id: int) -> None:
        held.append(delivery_id)

    monkeypatch.setattr(queue, "enqueue_delivery", hold)
    return held


@pytest.fixture
def backend(db_url: str) -> str:
    return "postgresql" if db_url.startswith("postgresql") else "sqlite"


@pytest.fixture
async def seeds(
    held_callbacks: list[int], client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> Seeds:
    return await seed(client, services, workspace)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Cases per surface, printed even when every fuzz test passed (pytest -q shows no output of a pass)."""
    if RUNS:
        terminalreporter.section("fuzzing (schemathesis)")
        for run in RUNS:
            terminalreporter.write_line(run.summary())
