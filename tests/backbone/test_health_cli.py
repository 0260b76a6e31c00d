"""Health endpoints and the ``shopwright`` command line (DESIGN §9), run as real subprocesses."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from domain.db import Database
from domain.jobs.registry import JobRegistry
from shopwright.app import build_app
from shopwright.migrate import pending_migrations
from shopwright.settings import Settings
from tests.backbone.support import VIEWER
from tests.support.graphql import gql
from tests.support.serving import asgi_client, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "cli-test-secret"
UNREACHABLE_DB = "postgresql+asyncpg://nobody@127.0.0.1:1/nothing"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("shopwright")
    return [str(script)] if script.exists() else [sys.executable, "-m", "shopwright.cli"]


def _env(**shopwright: str) -> dict[str, str]:
    """A clean environment: no SHOPWRIGHT_* (nor OPENAI_*) from the caller, only what the test gives."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(REPO_ROOT)}
    env.update({f"SHOPWRIGHT_{k.upper()}": v for k, v in shopwright.items()})
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


async def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(_run, args, env, cwd)


@contextlib.asynccontextmanager
async def unstarted(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose lifespan never runs (it would refuse an unreachable database)."""
    try:
        async with asgi_client(app) as c:
            yield c
    finally:
        await app.state.runtime.close()


# --- health --------------------------------------------------------------------------------------


async def test_healthz_and_readyz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


async def test_readyz_is_503_when_the_database_is_unreachable(settings_factory):
    app = build_app(settings_factory(database_url=UNREACHABLE_DB), registry=JobRegistry())
    async with unstarted(app) as c:
        response = await c.get("/readyz")
        assert response.status_code == 503, response.text
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["database"].startswith("unreachable")
        # The process itself is alive.
        assert (await c.get("/healthz")).status_code == 200


async def test_readyz_is_503_when_configured_redis_is_unreachable(settings_factory):
    app = build_app(settings_factory(redis_url="redis://127.0.0.1:1/0"), registry=JobRegistry())
    async with unstarted(app) as c:
        response = await c.get("/readyz")
        assert response.status_code == 503, response.text
        checks = response.json()["checks"]
        assert checks["database"] == "ok" and checks["redis"].startswith("unreachable")


# --- shopwright workspace create / migrate / worker ---------------------------------------------


def _sqlite(tmp_path: Path, name: str = "cli.db") -> str:
    return f"sqlite+aiosqlite:///{tmp_path / name}"


async def test_workspace_create_json_prints_working_credentials(tmp_path):
    url = _sqlite(tmp_path)
    env = _env(database_url=url, secret_key=SECRET, data_dir=str(tmp_path / "data"))
    result = await run_cli(
        ["workspace", "create", "--name", "Corner Shop", "--owner-email", "Owner@Example.com", "--json"],
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)  # stdout is the JSON document and nothing else
    assert set(created) == {"workspace_id", "owner_user_id", "api_key", "access_token"}
    assert str(uuid.UUID(created["workspace_id"])) == created["workspace_id"]
    assert isinstance(created["owner_user_id"], int)
    assert created["api_key"].startswith("swk_") and created["access_token"].count(".") == 2

    # The printed credentials work against a server on that database with that secret.
    settings = Settings(database_url=url, secret_key=SECRET, data_dir=tmp_path / "data", ai_provider="offline")
    app = build_app(settings, registry=JobRegistry())
    async with app.router.lifespan_context(app), asgi_client(app) as c:
        status, body = await gql(c, "{ viewer { kind scopes workspace { name plan } } }", token=created["api_key"])
        assert status == 200, body
        assert body["data"]["viewer"] == {
            "kind": "api_key",
            "scopes": ["full"],
            "workspace": {"name": "Corner Shop", "plan": "free"},
        }
        status, body = await gql(c, VIEWER, token=created["access_token"])
        viewer = body["data"]["viewer"]
        assert viewer["role"] == "owner" and viewer["user"] == {"email": "owner@example.com"}
        assert viewer["workspaceId"] == created["workspace_id"]
        response = await c.get("/v1/jobs", headers={"Authorization": f"Bearer {created['api_key']}"})
        assert response.status_code == 200 and response.json()["data"] == []

    # Without --json: readable, says the secrets are shown once; with options.
    result = await run_cli(
        [
            "workspace",
            "create",
            "--name",
            "Second",
            "--owner-email",
            "two@example.com",
            "--plan",
            "pro",
            "--credits",
            "50",
        ],
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "API key:" in result.stdout and "shown once" in result.stdout and "swk_" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "X", "--owner-email", "not-an-email"], "email"),
        (["--name", "   ", "--owner-email", "a@example.com"], "name"),
        (["--name", "X", "--owner-email", "a@example.com", "--credits", "-5"], "negative"),
        (["--name", "X", "--owner-email", "a@example.com", "--plan", "platinum"], "unknown plan 'platinum'"),
    ],
)
async def test_workspace_create_refuses_bad_input_cleanly(tmp_path, args, message):
    env = _env(database_url=_sqlite(tmp_path), secret_key=SECRET, data_dir=str(tmp_path / "data"))
    result = await run_cli(["workspace", "create", *args, "--json"], env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr.lower() and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip() == ""


async def test_migrate_is_idempotent(tmp_path):
    url = _sqlite(tmp_path)
    env = _env(database_url=url, secret_key=SECRET, data_dir=str(tmp_path / "data"))
    for _ in range(2):
        result = await run_cli(["migrate"], env, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "latest migration" in result.stdout
    db = Database(url)
    try:
        assert await pending_migrations(db.engine) is False
    finally:
        await db.dispose()


async def test_worker_without_redis_exits_with_a_clear_message(tmp_path):
    env = _env(database_url=_sqlite(tmp_path), secret_key=SECRET, data_dir=str(tmp_path / "data"))
    result = await run_cli(["worker", "--burst"], env, tmp_path)
    assert result.returncode != 0
    assert "SHOPWRIGHT_REDIS_URL" in result.stderr and "Traceback" not in result.stderr, result.stderr


async def test_worker_refuses_an_unmigrated_database(tmp_path):
    url = _sqlite(tmp_path, "empty.db")
    env = _env(
        database_url=url, secret_key=SECRET, data_dir=str(tmp_path / "data"), redis_url="redis://127.0.0.1:6379/0"
    )
    result = await run_cli(["worker", "--burst"], env, tmp_path)
    assert result.returncode != 0
    assert "not at the latest migration" in result.stderr and "shopwright migrate" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    db = Database(url)
    try:
        assert await pending_migrations(db.engine) is True  # it did not migrate behind our back
    finally:
        await db.dispose()


# --- shopwright serve on a fresh directory -------------------------------------------------------


async def _read_banner(stream: asyncio.StreamReader) -> list[str]:
    lines: list[str] = []
    async with asyncio.timeout(60):
        while not any(line.startswith("Jobs:") for line in lines):
            raw = await stream.readline()
            if not raw:
                break
            lines.append(raw.decode().rstrip())
    return lines


async def test_serve_on_an_empty_directory(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = await asyncio.create_subprocess_exec(
        *_command(),
        "serve",
        "--port",
        str(port),
        cwd=tmp_path,
        env=_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        banner = await _read_banner(proc.stdout)
        text = "\n".join(banner)
        assert f"{base}/" in text, text
        assert f"{base}/graphql" in text and "GraphiQL" in text, text
        assert "in-process" in text, text

        async with httpx.AsyncClient(base_url=base) as http:
            async with asyncio.timeout(30):
                while True:
                    with contextlib.suppress(httpx.TransportError):
                        response = await http.get("/healthz")
                        if response.status_code == 200:
                            break
                    assert proc.returncode is None, "serve exited"
                    await asyncio.sleep(0.1)
            assert response.json() == {"status": "ok"}
            assert (await http.get("/readyz")).status_code == 200
            page = await http.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "graphiql" in page.text.lower()

            data_dir = tmp_path / ".shopwright"
            assert (data_dir / "shopwright.db").is_file()
            secret_file = data_dir / "secret_key"
            assert secret_file.is_file() and len(secret_file.read_text().strip()) >= 32
            assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600

            # A workspace created from the same directory (same database, same generated secret) can call
            # the running server with its printed credentials.
            result = await run_cli(
                ["workspace", "create", "--name", "Local", "--owner-email", "me@example.com", "--json"],
                _env(),
                tmp_path,
            )
            assert result.returncode == 0, result.stderr
            created = json.loads(result.stdout)
            for token in (created["api_key"], created["access_token"]):
                response = await http.post(
                    "/graphql",
                    json={"query": "{ viewer { workspace { name } } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                body = response.json()
                assert {k: v for k, v in body.items() if k != "extensions"} == {
                    "data": {"viewer": {"workspace": {"name": "Local"}}}
                }
                assert body["extensions"]["cost"]["requestedQueryCost"] == 2
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def test_serve_tunes_the_collector_for_a_server() -> None:
    """``serve`` freezes what start-up built and raises the young generation's threshold (in a process of its
    own: freezing would keep this test process's garbage)."""
    code = (
        "import gc; from shopwright.cli import tune_collector; from shopwright.settings import Settings\n"
        "before = gc.get_threshold()\n"
        "tune_collector(Settings(_env_file=None).gc_threshold)\n"
        "print(gc.get_threshold()[0], gc.get_threshold()[1:] == before[1:], gc.get_freeze_count() > 1000)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert out.stdout.split() == ["20000", "True", "True"]
