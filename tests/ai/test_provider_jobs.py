"""The provider inside a real job: the in-process runner, the job's ``ctx.providers``, usage accounting,
and how provider failures reach the job's status."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import BaseModel
from starlette.applications import Starlette

from domain.ai.ports import ProviderSet
from domain.ai.repository import AiUsageRepository
from domain.ai.service import record_usage
from domain.jobs.registry import JobContext, JobKind, JobRegistry
from domain.jobs.service import JobService
from resolvers.context import AppServices
from shopwright.app import build_app
from shopwright.settings import Settings
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import wait_for

KIND = "test.ai_titles"


class TitlesParams(BaseModel):
    names: list[str]


async def write_titles(ctx: JobContext[TitlesParams]) -> dict[str, Any]:
    """Two structured calls through ``ctx.providers``, usage recorded per call."""
    providers: ProviderSet = ctx.providers
    text = providers.require_text("Writing titles")
    titles = []
    for name in ctx.params.names:
        result = await text.generate_json(
            system="Write a product title.",
            user=f"Product: {name}",
            schema={"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]},
            schema_name="title",
        )
        async with ctx.unit_of_work() as uow:
            await record_usage(uow, ctx.workspace_id, ctx.job_id, result.model, result.usage)
        titles.append(result.data["title"])
    return {"titles": titles}


TITLES = JobKind(name=KIND, params=TitlesParams, handler=write_titles, max_attempts=1)


@pytest.fixture
def make_app(settings_factory: Callable[..., Settings]) -> Callable[..., Any]:
    def build(**overrides: Any) -> Starlette:
        registry = JobRegistry()
        registry.register(TITLES)
        return build_app(settings_factory(job_max_attempts=1, **overrides), registry=registry)

    return build


@pytest.fixture
async def ai_app(make_app: Callable[..., Starlette], fake_openai: FakeOpenAI) -> AsyncIterator[Starlette]:
    app = make_app(**fake_openai.settings(llm_max_retries=2))
    async with app.router.lifespan_context(app):
        yield app


async def submit(services: AppServices, workspace: WorkspaceInfo, names: list[str]) -> str:
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(workspace.principal, kind=TITLES, params=TitlesParams(names=names))
        return job.id


async def test_job_uses_the_provider_and_records_usage(ai_app: Starlette, fake_openai: FakeOpenAI) -> None:
    services: AppServices = ai_app.state.services
    workspace = await make_workspace(services)
    job_id = await submit(services, workspace, ["Oak desk", "Velvet chair"])
    job = await wait_for(services, job_id, ["completed", "failed"])
    assert job.status == "completed", job.error_message
    assert len(job.result["titles"]) == 2  # type: ignore[index]
    assert fake_openai.calls == 2
    assert [r.user for r in fake_openai.requests] == ["Product: Oak desk", "Product: Velvet chair"]
    assert job.prompt_tokens > 0 and job.completion_tokens > 0
    async with services.read() as session:
        totals = await AiUsageRepository(session).totals(workspace.workspace_id)
    assert [(t.calls, t.prompt_tokens, t.completion_tokens) for t in totals] == [
        (2, job.prompt_tokens, job.completion_tokens)
    ]


async def test_429_twice_then_success_completes_the_job(ai_app: Starlette, fake_openai: FakeOpenAI) -> None:
    services: AppServices = ai_app.state.services
    workspace = await make_workspace(services)
    fake_openai.fail(429, times=2)
    job = await wait_for(services, await submit(services, workspace, ["Lamp"]), ["completed", "failed"])
    assert job.status == "completed", job.error_message
    assert fake_openai.calls == 3


async def test_a_provider_that_keeps_failing_fails_the_job_clearly(ai_app: Starlette, fake_openai: FakeOpenAI) -> None:
    services: AppServices = ai_app.state.services
    workspace = await make_workspace(services)
    fake_openai.always(500)
    job = await wait_for(services, await submit(services, workspace, ["Lamp"]), ["completed", "failed"])
    assert job.status == "failed"
    assert job.error_code == "provider_error"
    assert job.error_message == "The AI provider kept failing (HTTP 500) after 3 attempts."
    assert fake_openai.calls == 3  # llm_max_retries=2: bounded


async def test_offline_job_fails_with_provider_required(make_app: Callable[..., Starlette]) -> None:
    app = make_app(ai_provider="offline")
    async with app.router.lifespan_context(app):
        services: AppServices = app.state.services
        workspace = await make_workspace(services)
        job = await wait_for(services, await submit(services, workspace, ["Lamp"]), ["completed", "failed"])
    assert job.status == "failed" and job.error_code == "provider_required"
    assert "Writing titles needs an AI provider" in (job.error_message or "")
