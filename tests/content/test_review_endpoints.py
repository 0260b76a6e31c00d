"""The documented shapes of submit and status (also while the job runs), and the 100-configuration bound."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from domain.content.configs import ContentConfigService
from domain.content.defaults import PUBLIC_CONFIGS
from resolvers.context import AppServices
from tests.content.helpers import CONFIGS, JOBS, counts, submit
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


def nth_name(i: int) -> str:
    return "cfg" + chr(97 + i // 26) + chr(97 + i % 26)


async def test_at_most_100_configurations(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    async with services.unit_of_work() as uow:
        configs = ContentConfigService(uow.session)
        for i in range(100):
            await configs.create(workspace.principal, {"name": nth_name(i), "content_config": {}})
    private = await client.get(CONFIGS, params={"scope": "PRIVATE"}, headers=workspace.headers())
    assert private.status_code == 200 and len(private.json()) == 100
    everything = await client.get(CONFIGS, headers=workspace.headers())
    assert len(everything.json()) == 100  # the public ones plus private ones, cut at 100
    assert sum(c["scope"] == "PUBLIC" for c in everything.json()) == len(PUBLIC_CONFIGS)

    before = await counts(services)
    refused = await client.post(CONFIGS, json={"name": "onemore", "content_config": {}}, headers=workspace.headers())
    assert refused.status_code == 409
    assert refused.json()["code"] == "config_limit_reached" and refused.json()["message"]
    assert await counts(services) == before
