"""callback_url and external_tracking_id of the analysis jobs go through the backbone's signed callbacks; their
progress is job events (what the jobProgress subscription streams)."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from resolvers.context import AppServices
from tests.content.analysis.helpers import REVIEWS, TONE, review_example, run_job, tone_example
from tests.support.callbacks import receiving, signed_bodies
from tests.support.factories import WorkspaceInfo
from tests.support.jobs import events_of


async def test_signed_callbacks_and_progress_events(
    app: Starlette, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    cases: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
        (
            REVIEWS,
            {**review_example(), "external_tracking_id": "rev-1"},
            "content.analysis.review_summariser",
            {"reviews": 10},
        ),
        (TONE, {**tone_example(), "external_tracking_id": "tone-1"}, "content.analysis.tone_of_voice", {"pdps": 1}),
    ]
    for base, body, kind, first_progress in cases:
        async with receiving() as hook:
            job_id, status = await run_job(client, workspace, base, {**body, "callback_url": hook.url})
            assert status["status"] == "completed"
            await app.state.runtime.queue.drain()
            bodies = sorted(await signed_bodies(services, workspace, hook), key=lambda b: b["seq"])
        assert [b["status"] for b in bodies] == ["queued", "processing", "completed"]
        assert {b["kind"] for b in bodies} == {kind}
        assert {b["external_tracking_id"] for b in bodies} == {body["external_tracking_id"]}
        progress = [e.data for e in await events_of(services, job_id) if e.data]
        assert first_progress in progress, progress
