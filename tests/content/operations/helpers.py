"""Helpers for the operations tests: the document's example bodies, waiting for a job, counting rows."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.content.models import ContentChannel, ContentConfig
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

HERE = Path(__file__).parent
MERGE_JOBS = "/brandbrain/content-configs/merge/jobs"
CONFIGS = "/brandbrain/content-configs"
JOB_LIST = "/brandbrain/jobs"
TERMINAL = ("completed", "failed", "cancelled")


def merge_example() -> dict[str, Any]:
    """The document's example merge body, as it stands (an inline configuration and a config_id)."""
    body: dict[str, Any] = json.loads((HERE / "merge_request.json").read_text())
    return body


async def wait_job(client: httpx.AsyncClient, ws: WorkspaceInfo, status_url: str, timeout: float = 30.0) -> str:
    """Polls a status endpoint until the job is finished; returns its last status."""
    async with asyncio.timeout(timeout):
        while True:
            response = await client.get(status_url, headers=ws.headers())
            assert response.status_code == 200, response.text
            status: str = response.json()["status"]
            if status in TERMINAL:
                return status
            await asyncio.sleep(0.05)


async def row_counts(services: AppServices) -> tuple[int, int, int]:
    """(jobs, content configs, content channels): to prove a refused request wrote nothing."""
    async with services.read() as session:
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
        configs = (await session.execute(select(func.count(ContentConfig.id)))).scalar_one()
        channels = (await session.execute(select(func.count(ContentChannel.id)))).scalar_one()
    return int(jobs), int(configs), int(channels)
