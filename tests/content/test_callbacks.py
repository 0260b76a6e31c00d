"""callback_url and external_tracking_id of a content-generation submit: a bad callback URL is refused as a field
of the body; a good one is honoured through the backbone's callback delivery (a loopback receiver gets one signed
POST per status change, each carrying the tracking id; a failed job's callback carries its error)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts.repository import AccountsRepository
from domain.jobs.callbacks import SIGNATURE_HEADER, verify_signature
from domain.jobs.repository import JobsRepository
from resolvers.context import AppServices
from tests.conftest import start_server, stop_server
from tests.content.helpers import JOBS, counts, generate, submit, wait_status
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import load_job


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            self.requests.append((dict(request.headers), await request.body()))
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    hook = Receiver()
    live, server, task = await start_server(hook.app())
    try:
        yield hook, f"{live.url}/hook"
    finally:
        await stop_server(server, task)


async def run_with_callback(
    app: Starlette,
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    body: dict[str, Any],
    hook: Receiver,
) -> tuple[str, list[dict[str, Any]]]:
    response = await submit(client, workspace, body)
    assert response.status_code == 200, response.text
    job_id: str = response.json()["job_id"]
    await wait_status(client, workspace, job_id)
    drain: Callable[[], Awaitable[None]] = app.state.runtime.queue.drain
    await drain()
    async with services.read() as session:
        found = await AccountsRepository(session).get_workspace(workspace.workspace_id)
        deliveries = await JobsRepository(session).deliveries_for_job(job_id)
    assert found is not None
    bodies = []
    for headers, raw in hook.requests:
        assert verify_signature(found.webhook_secret, raw, headers[SIGNATURE_HEADER.lower()])
        bodies.append(json.loads(raw))
    assert [d.status for d in deliveries] == ["delivered"] * len(bodies)
    return job_id, sorted(bodies, key=lambda b: b["seq"])


async def test_signed_callbacks_carry_the_tracking_id(
    app: Starlette,
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    receiver: tuple[Receiver, str],
) -> None:
    hook, url = receiver
    job_id, bodies = await run_with_callback(app, client, services, workspace, {**example, "callback_url": url}, hook)
    assert [b["status"] for b in bodies] == ["queued", "processing", "completed"]
    assert {b["job_id"] for b in bodies} == {job_id}
    assert {b["kind"] for b in bodies} == {"content.generation"}
    assert {b["external_tracking_id"] for b in bodies} == {example["external_tracking_id"]}
    assert bodies[-1]["error"] is None and bodies[-1]["progress"] == 1.0


@pytest.mark.provider("openai")
async def test_failed_job_callback_carries_the_error(
    app: Starlette,
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    receiver: tuple[Receiver, str],
    fake_openai: FakeOpenAI,
) -> None:
    hook, url = receiver
    fake_openai.always(500)
    body = {**example, "callback_url": url, "external_tracking_id": "order-42"}
    _, bodies = await run_with_callback(app, client, services, workspace, body, hook)
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
    assert response.status_code == 422
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
