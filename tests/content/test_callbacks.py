"""callback_url and external_tracking_id of a content-generation submit: a bad callback URL is refused as a field
of the body; a good one is honoured through the backbone's callback delivery (a loopback receiver gets one signed
POST per status change, each carrying the tracking id; a failed job's callback carries its error)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from domain.jobs.repository import JobsRepository
from resolvers.context import AppServices
from tests.content.helpers import JOBS, counts, generate, submit, wait_status
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import load_job

Delivered = Callable[[dict[str, Any]], Awaitable[tuple[str, list[dict[str, Any]]]]]


@pytest.fixture
async def run_with_callback(
    app: Starlette, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> AsyncIterator[Delivered]:
    """Submits a body with a callback URL to a loopback receiver, waits for the job and every delivery; gives
    the job id and the signed bodies the receiver got, in event order."""
    async with receiving() as hook:

        async def run(body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
            response = await submit(client, workspace, {**body, "callback_url": hook.url})
            assert response.status_code == 200, response.text
            job_id: str = response.json()["job_id"]
            await wait_status(client, workspace, job_id)
            drain: Callable[[], Awaitable[None]] = app.state.runtime.queue.drain
            await drain()
            bodies = await signed_bodies(services, workspace, hook)
            async with services.read() as session:
                deliveries = await JobsRepository(session).deliveries_for_job(job_id)
            assert [d.status for d in deliveries] == ["delivered"] * len(bodies)
            return job_id, sorted(bodies, key=lambda b: b["seq"])

        yield run


async def test_signed_callbacks_carry_the_tracking_id(run_with_callback: Delivered, example: dict[str, Any]) -> None:
    job_id, bodies = await run_with_callback(example)
    assert [b["status"] for b in bodies] == ["queued", "processing", "completed"]
    assert {b["job_id"] for b in bodies} == {job_id}
    assert {b["kind"] for b in bodies} == {"content.generation"}
    assert {b["external_tracking_id"] for b in bodies} == {example["external_tracking_id"]}
    assert bodies[-1]["error"] is None and bodies[-1]["progress"] == 1.0


@pytest.mark.provider("openai")
async def test_failed_job_callback_carries_the_error(
    run_with_callback: Delivered, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.always(500)
    _, bodies = await run_with_callback({**example, "external_tracking_id": "order-42"})
    assert [b["status"] for b in bodies] == ["queued", "processing", "failed"]
    assert {b["external_tracking_id"] for b in bodies} == {"order-42"}
    error = bodies[-1]["error"]
    assert error["code"] == "provider_error" and "500" in error["message"]


async def test_callback_and_tracking_id_go_through_the_backbone(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    body = {**example, "callback_url": "http://127.0.0.1:9/hook"}
    job_id, _ = await generate(client, workspace, body)
    job = await load_job(services, job_id)
    assert job.callback_url == "http://127.0.0.1:9/hook"
    assert job.external_tracking_id == example["external_tracking_id"]
    callbacks = await client.get(f"/v1/jobs/{job_id}/callbacks", headers=workspace.headers())
    assert callbacks.status_code == 200
    statuses = [d["event_seq"] for d in callbacks.json()["data"]]
    assert len(statuses) >= 3  # queued, processing, completed: one POST per status change


async def test_bad_callback_url_is_refused_as_a_field_of_the_body(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    before = await counts(services)
    response = await client.post(JOBS, json={**example, "callback_url": "not a url"}, headers=workspace.headers())
    assert response.status_code == 400
    problem = "The callback URL must be an absolute http or https URL."
    assert response.json() == {
        "code": "bad_request",
        "message": f"Invalid request body: callback_url: {problem}",
        "errors": {"callback_url": [problem]},
    }
    both = {**example, "callback_url": "https://user:pw@hooks.example.com/x", "skip_grouping": "no"}
    response = await client.post(JOBS, json=both, headers=workspace.headers())
    assert list(response.json()["errors"]) == ["skip_grouping", "callback_url"]  # every problem at once
    assert await counts(services) == before
