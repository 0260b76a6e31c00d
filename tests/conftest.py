"""Fixtures: migrated databases (SQLite always, PostgreSQL when SHOPWRIGHT_TEST_DATABASE_URL is set), the
app with its lifespan, an httpx client on it, a real uvicorn server, and Redis when configured."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from domain.jobs.registry import JobRegistry
from domain.metadata import metadata
from resolvers.context import AppServices
from resolvers.ratelimit import MemoryRateLimiter
from shopwright.app import build_app
from shopwright.migrate import upgrade
from shopwright.runtime import build_registry
from shopwright.settings import Settings
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import _fake_openai_server, fake_openai  # noqa: F401  (fixtures)
from tests.support.serving import asgi_client, serving
from workers.runner import InProcessQueue

PG_ENV = "SHOPWRIGHT_TEST_DATABASE_URL"
REDIS_ENV = "SHOPWRIGHT_TEST_REDIS_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent


def asyncpg_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def backends() -> list[Any]:
    params: list[Any] = ["sqlite"]
    if os.environ.get(PG_ENV):
        params.append("postgres")
    elif os.environ.get("CI"):
        raise RuntimeError(f"CI requires {PG_ENV}")
    return params


@pytest.fixture(scope="session", params=backends())
async def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A freshly migrated database for the session, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        await asyncio.to_thread(upgrade, url)
        yield url
        return
    base = make_url(asyncpg_url(os.environ[PG_ENV]))
    name = f"shopwright_test_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


class Cleaner:
    """Empties every table after a test, through one engine kept for the session. DELETE (and restarting
    the id sequences) is several times faster than TRUNCATE on tables this small."""

    def __init__(self, url: str) -> None:
        self.engine = create_async_engine(
            url, **({"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {})
        )
        self.tables = [t.name for t in reversed(metadata.sorted_tables)]
        self.sequences: list[str] | None = None

    async def clean(self) -> None:
        async with self.engine.begin() as conn:
            for table in self.tables:
                await conn.execute(text(f"DELETE FROM {table}"))
            if self.engine.dialect.name == "postgresql":
                if self.sequences is None:
                    rows = await conn.execute(text("SELECT sequence_name FROM information_schema.sequences"))
                    self.sequences = [r[0] for r in rows]
                for sequence in self.sequences:
                    await conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
            # SQLite numbers rows from the largest id left, so emptied tables start again at 1 by themselves.


@pytest.fixture(scope="session")
async def cleaner(db_url: str) -> AsyncIterator[Cleaner]:
    found = Cleaner(db_url)
    try:
        yield found
    finally:
        await found.engine.dispose()


@pytest.fixture
async def clean_db(db_url: str, cleaner: Cleaner) -> AsyncIterator[str]:
    yield db_url
    await cleaner.clean()


def make_test_registry() -> JobRegistry:
    registry = JobRegistry()
    jobkinds.register(registry)
    return registry


def feature_registry() -> JobRegistry:
    """The test kinds and every feature's kinds, as the service registers them."""
    registry = make_test_registry()
    features = build_registry(Settings())
    for name in features.names():
        kind = features.get(name)
        assert kind is not None
        registry.register(kind)
    return registry


def default_settings(db: str, data: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db,
        "data_dir": data,
        "secret_key": "test-secret-key",
        "redis_url": None,
        "callback_allow_private": True,
        "callback_backoff_seconds": 0.05,
        "job_heartbeat_seconds": 0.2,
        # Long enough that no recovery sweep of a shared app ever runs during a session; the recovery tests
        # set their own.
        "job_stale_seconds": 3600,
        "ai_provider": "offline",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings_factory(clean_db: str, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        return default_settings(clean_db, tmp_path / "data", **overrides)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@contextlib.asynccontextmanager
async def running_app(
    settings: Settings, registry: Callable[[], JobRegistry] = make_test_registry
) -> AsyncIterator[Starlette]:
    """An app of its own (not one of the pool's) with its lifespan running."""
    application = build_app(settings, registry=registry())
    async with application.router.lifespan_context(application):
        yield application


class AppPool:
    """Apps built once per session for each registry and settings, and kept running (building one and
    running its lifespan costs more than most tests). Each test gets the app back as it found it: jobs it
    left running are cancelled, services it swapped are restored, rate-limit counts forgotten; the database
    is emptied by ``clean_db``. Apps whose recovery sweeps could run during the session (a short stale
    period) or whose jobs go to RQ are built per test."""

    def __init__(self, data_dir: Path) -> None:
        self.apps: dict[tuple[str, str], Starlette] = {}
        self.stack = contextlib.AsyncExitStack()
        self.data_dir = data_dir  # the session's, for every shared app (a test's own tmp_path outlives no test)

    @staticmethod
    def key(settings: Settings) -> str:
        return settings.model_dump_json(exclude={"data_dir"})

    @staticmethod
    def pooled(settings: Settings) -> bool:
        """Shared unless its recovery sweeps could run during the session, or its jobs go to RQ workers."""
        return settings.job_stale_seconds >= 600 and settings.redis_url is None

    @contextlib.asynccontextmanager
    async def use(self, settings: Settings, registry: Callable[[], JobRegistry]) -> AsyncIterator[Starlette]:
        if not self.pooled(settings):
            async with running_app(settings, registry) as own:
                yield own
            return
        key = (registry.__qualname__, self.key(settings))
        if key not in self.apps:
            built = build_app(settings.model_copy(update={"data_dir": self.data_dir}), registry=registry())
            await self.stack.enter_async_context(built.router.lifespan_context(built))
            self.apps[key] = built
        application = self.apps[key]
        services: AppServices = application.state.services
        saved = dict(vars(services))
        try:
            yield application
        finally:
            runtime = application.state.runtime
            if isinstance(runtime.queue, InProcessQueue):
                # Work the test left running (a callback still retrying, a long job): a moment to finish,
                # then cancelled. Cancelling in the middle of a write can leave its connection inside the
                # transaction (on SQLite, holding the write lock), so it is the last resort. The queue stays
                # usable.
                await runtime.queue.close(grace_seconds=2)
            await runtime.db.dispose()  # as the app's shutdown would; new connections are opened on demand
            vars(services).update(saved)
            if isinstance(services.rate_limiter, MemoryRateLimiter):
                services.rate_limiter = MemoryRateLimiter()


@pytest.fixture(scope="session")
async def app_pool(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AppPool]:
    pool = AppPool(tmp_path_factory.mktemp("shared-data"))
    async with pool.stack:
        yield pool


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, make_test_registry) as application:
        yield application


@pytest.fixture
def services(app: Starlette) -> AppServices:
    result: AppServices = app.state.services
    return result


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app) as c:
        yield c


@pytest.fixture
async def workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Workspace A")


@pytest.fixture
async def other_workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Workspace B")


class LiveServer:
    def __init__(self, app: Starlette, url: str) -> None:
        self.app = app
        self.url = url
        self.ws_url = url.replace("http://", "ws://", 1) + "/graphql"

    @property
    def services(self) -> AppServices:
        services: AppServices = self.app.state.services
        return services


@contextlib.asynccontextmanager
async def live_app(settings: Settings, registry: Callable[[], JobRegistry]) -> AsyncIterator[LiveServer]:
    """The app on a real uvicorn server on a free loopback port (runs its own lifespan)."""
    application = build_app(settings, registry=registry())
    async with serving(application, ws="websockets-sansio") as url:
        yield LiveServer(application, url)


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    async with live_app(settings, make_test_registry) as live:
        yield live


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI requires {REDIS_ENV}")
        pytest.skip(f"{REDIS_ENV} not set")
    return url
