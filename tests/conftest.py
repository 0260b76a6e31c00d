"""Fixtures: migrated databases (SQLite always, PostgreSQL when SHOPWRIGHT_TEST_DATABASE_URL is set), the
app with its lifespan, an httpx client on it, a real uvicorn server, and Redis when configured."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from domain.jobs.registry import JobRegistry
from domain.metadata import metadata
from resolvers.context import AppServices
from shopwright.app import build_app
from shopwright.migrate import upgrade
from shopwright.settings import Settings
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import _fake_openai_server, fake_openai  # noqa: F401  (fixtures)

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


async def _truncate(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            tables = [t.name for t in metadata.sorted_tables]
            if engine.dialect.name == "postgresql":
                await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    await conn.execute(text(f"DELETE FROM {table}"))
    finally:
        await engine.dispose()


@pytest.fixture
async def clean_db(db_url: str) -> AsyncIterator[str]:
    yield db_url
    await _truncate(db_url)


def make_test_registry() -> JobRegistry:
    registry = JobRegistry()
    jobkinds.register(registry)
    return registry


@pytest.fixture
def settings_factory(clean_db: str, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": clean_db,
            "data_dir": tmp_path / "data",
            "secret_key": "test-secret-key",
            "redis_url": None,
            "callback_allow_private": True,
            "callback_backoff_seconds": 0.05,
            "job_heartbeat_seconds": 0.2,
            "job_stale_seconds": 30,
            "ai_provider": "offline",
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = build_app(settings, registry=make_test_registry())
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def services(app: Starlette) -> AppServices:
    result: AppServices = app.state.services
    return result


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Workspace A")


@pytest.fixture
async def other_workspace(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Workspace B")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    def __init__(self, app: Starlette, port: int) -> None:
        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/graphql"

    @property
    def services(self) -> AppServices:
        services: AppServices = self.app.state.services
        return services


async def start_server(app: Starlette) -> tuple[LiveServer, uvicorn.Server, asyncio.Task[None]]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(15):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    return LiveServer(app, port), server, task


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait_for(task, 15)


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The app on a real uvicorn server on a free loopback port (runs its own lifespan)."""
    application = build_app(settings, registry=make_test_registry())
    live, server, task = await start_server(application)
    try:
        yield live
    finally:
        await stop_server(server, task)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI requires {REDIS_ENV}")
        pytest.skip(f"{REDIS_ENV} not set")
    return url
