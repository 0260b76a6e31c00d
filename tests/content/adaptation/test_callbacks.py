"""callback_url and external_tracking_id of the adaptation jobs: a signed POST per status change to a loopback
receiver, each carrying the tracking id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from starlette.applications import Starlette

from resolvers.context import AppServices
from tests.content.adaptation.helpers import CHANNEL, TONE, example, wait_status
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import WorkspaceInfo


@pytest.mark.parametrize(("jobs", "name", "kind"), [(CHANNEL, "channel", "channel"), (TONE, "tone", "tone_of_voice")])
async def test_callbacks_carry_the_tracking_id(
    app: Starlette,
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    jobs: str,
    name: str,
    kind: str,
) -> None:
    body = example(name)
    async with receiving() as hook:
        response = await client.post(jobs, json={**body, "callback_url": hook.url}, headers=workspace.headers())
        assert response.status_code == 200, response.text
        job_id = response.json()["job_id"]
        await wait_status(client, workspace, jobs, job_id)
        drain: Callable[[], Awaitable[None]] = app.state.runtime.queue.drain
        await drain()
        bodies = sorted(await signed_bodies(services, workspace, hook), key=lambda b: b["seq"])
    assert [b["status"] for b in bodies] == ["queued", "processing", "completed"]
    assert {b["kind"] for b in bodies} == {f"content.adaptation.{kind}"}
    assert {b["external_tracking_id"] for b in bodies} == {body["external_tracking_id"]}
