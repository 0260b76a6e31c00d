"""The documented shapes of submit and status, also while the job runs."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.content.helpers import JOBS, submit
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI


@pytest.mark.provider("openai")
async def test_submit_and_status_shapes_while_running(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.latency = 0.5
    response = await submit(client, workspace, example)
    assert response.status_code == 200
    assert list(response.json()) == ["job_id"]
    job_id = response.json()["job_id"]
    seen: set[str] = set()
    async with asyncio.timeout(30):
        while True:
            status = await client.get(f"{JOBS}/{job_id}/status", headers=workspace.headers())
            body = status.json()
            assert status.status_code == 200 and list(body) == ["status", "message"]
            assert isinstance(body["message"], str) and body["message"]
            seen.add(body["status"])
            if body["status"] == "completed":
                break
            assert body["status"] in ("queued", "processing"), body
            await asyncio.sleep(0.05)
    assert seen & {"queued", "processing"}  # it was asked while running, and answered with a status name
    assert body == {"status": "completed", "message": "The job has completed successfully."}
