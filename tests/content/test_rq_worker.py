"""With Redis: a content generation job runs in a separate `shopwright worker` process (offline composer).
Skipped without SHOPWRIGHT_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from shopwright.app import build_app
from shopwright.settings import Settings
from tests.content.conftest import content_registry
from tests.content.helpers import JOBS, submit, wait_status
from tests.support.factories import make_workspace
from tests.support.jobs import start_worker, worker_env


async def test_rq_worker_runs_content_generation(
    settings_factory: Callable[..., Settings], redis_url: str, example: dict[str, Any]
) -> None:
    settings = settings_factory(redis_url=redis_url, rq_queue=f"shopwright-content-{uuid.uuid4().hex[:8]}")
    app = build_app(settings, registry=content_registry())
    async with app.router.lifespan_context(app):
        workspace = await make_workspace(app.state.services)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            response = await submit(client, workspace, example)
            job_id = response.json()["job_id"]
            queued = await client.get(f"{JOBS}/{job_id}/status", headers=workspace.headers())
            assert queued.json()["status"] == "queued"  # nothing runs it in this process

            env = worker_env(
                {
                    "SHOPWRIGHT_DATABASE_URL": str(settings.database_url),
                    "SHOPWRIGHT_REDIS_URL": redis_url,
                    "SHOPWRIGHT_RQ_QUEUE": settings.rq_queue,
                    "SHOPWRIGHT_SECRET_KEY": str(settings.secret_key),
                    "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
                    "SHOPWRIGHT_AI_PROVIDER": "offline",
                }
            )
            process = start_worker(env, burst=True)
            out, _ = await asyncio.to_thread(process.communicate, timeout=120)
            assert process.returncode == 0, out.decode()

            status = await wait_status(client, workspace, job_id)
            assert status == {"status": "completed", "message": "The job has completed successfully."}, out.decode()
            result = (await client.get(f"{JOBS}/{job_id}/result", headers=workspace.headers())).json()
    assert set(result["1234567890001"]["content"]) == {"title", "bullets", "desc"}
