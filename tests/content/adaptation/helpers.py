"""Helpers for the adaptation tests: the document's example bodies, submitting, waiting, reading results."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

HERE = Path(__file__).parent
CHANNEL = "/brandbrain/content-adaptation/channel/jobs"
TONE = "/brandbrain/content-adaptation/tone-of-voice/jobs"
TRANSLATE = "/brandbrain/content-adaptation/translation/jobs"
TERMINAL = ("completed", "failed", "cancelled")


def example(name: str) -> dict[str, Any]:
    """A documented example request as it stands: ``channel``, ``tone`` or ``translation``."""
    body: dict[str, Any] = json.loads((HERE / f"{name}_request.json").read_text())
    return body


async def wait_status(
    client: httpx.AsyncClient, ws: WorkspaceInfo, jobs: str, job_id: str, timeout: float = 30.0
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            response = await client.get(f"{jobs}/{job_id}/status", headers=ws.headers())
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            if body["status"] in TERMINAL:
                return body
            await asyncio.sleep(0.05)


async def run_job(client: httpx.AsyncClient, ws: WorkspaceInfo, jobs: str, body: Any) -> tuple[str, Any]:
    """Submits, waits for completion and returns (job_id, result body)."""
    response = await client.post(jobs, json=body, headers=ws.headers())
    assert response.status_code == 200, response.text
    job_id: str = response.json()["job_id"]
    status = await wait_status(client, ws, jobs, job_id)
    assert status == {"status": "completed", "message": "The job has completed successfully."}, status
    result = await client.get(f"{jobs}/{job_id}/result", headers=ws.headers())
    assert result.status_code == 200, result.text
    return job_id, result.json()


async def job_count(services: AppServices) -> int:
    async with services.read() as session:
        return int((await session.execute(select(func.count(Job.id)))).scalar_one())


def texts(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]
