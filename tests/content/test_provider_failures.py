"""Transient provider failures are retried; a provider that keeps failing fails the job, visibly."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.content.helpers import JOBS, generate, submit, wait_status
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import TransportWS, subscription

pytestmark = pytest.mark.provider("openai")

PROGRESS = """
subscription ($id: ID!) {
  jobProgress(id: $id) { type status progress message data }
}
"""


async def test_429_twice_then_200_completes(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.fail(429, times=2)
    _, result = await generate(client, workspace, example)
    assert result["1234567890001"]["content"]["title"]
    generation = [r for r in fake_openai.requests if r.schema_name == "product_content"]
    assert len(generation) == 3  # two refused, the third answered


async def test_provider_that_keeps_failing_fails_the_job(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.always(500)
    response = await submit(client, workspace, example)
    job_id = response.json()["job_id"]
    status = await wait_status(client, workspace, job_id)
    assert status["status"] == "failed"
    assert "1234567890001" in status["message"] and "500" in status["message"], status
    result = await client.get(f"{JOBS}/{job_id}/result", headers=workspace.headers())
    assert result.status_code == 409
    body = result.json()
    assert body["code"] == "job_not_completed" and body["detail"] == {"status": "failed"}
    assert "failed" in body["message"]


async def test_failure_reaches_the_subscription(
    live_server: LiveServer, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    workspace = await make_workspace(live_server.services, name="Live")
    fake_openai.always(500)
    fake_openai.latency = 0.3  # the subscription is open before the job gives up
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        response = await submit(client, workspace, example)
        job_id = response.json()["job_id"]
        messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers(), timeout=60)
        status = await wait_status(client, workspace, job_id)
    events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    assert messages[-1]["type"] == "complete"
    last = events[-1]
    assert last["status"] == "FAILED" and last["type"] in ("status", "snapshot")
    assert last["message"] == status["message"].removeprefix("The job has failed: ")
    assert "500" in last["message"], json.dumps(events)


async def test_progress_per_product_on_the_subscription(
    live_server: LiveServer, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    workspace = await make_workspace(live_server.services, name="Live")
    fake_openai.latency = 0.3  # the subscription is open before the first product is done
    body = json.loads(json.dumps(example))
    second = json.loads(json.dumps(body["products"][0]))
    second.update(product_id="1234567890002", variant_group_id="G999")
    body["products"].append(second)
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        async with TransportWS.opened(live_server.ws_url, workspace.headers()) as ws:
            response = await submit(client, workspace, body)
            op = await ws.subscribe(PROGRESS, {"id": response.json()["job_id"]})
            messages = await ws.messages(op, timeout=60)
    events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    done = sorted(e["data"]["product_id"] for e in events if e["data"] and "product_id" in e["data"])
    assert done == ["1234567890001", "1234567890002"]
    assert events[-1]["status"] == "COMPLETED"
