"""Choosing the provider and the model from settings, and recording token usage per job and workspace."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from domain.ai.models import AiUsage
from domain.ai.ports import ProviderSet, Usage
from domain.ai.repository import AiUsageRepository
from domain.ai.service import DEFAULT_MODEL, UsageMeter, record_usage, resolve_model
from domain.errors import InvalidInput, ProviderRequired
from domain.jobs.models import Job
from domain.jobs.service import JobService
from resolvers.context import AppServices
from shopwright.app import build_app
from shopwright.runtime import build_providers
from shopwright.settings import Settings
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from workers.ai.factory import ProviderConfigError
from workers.ai.openai_provider import OpenAITextProvider


def test_offline_mode_has_no_text_provider(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="offline", openai_api_key="sk-x"))
    assert providers.text is None and providers.offline
    assert providers.model == DEFAULT_MODEL
    with pytest.raises(ProviderRequired, match="OPENAI_API_KEY"):
        providers.require_text("Translation")


def test_auto_without_credentials_is_offline(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="auto", openai_api_key=None, openai_base_url=None))
    assert providers.text is None


def test_auto_with_a_base_url_uses_openai(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(
        ai_provider="auto", openai_base_url="http://127.0.0.1:1/v1", llm_concurrency=3, llm_model="local-llama"
    )
    providers = build_providers(settings)
    assert isinstance(providers.text, OpenAITextProvider)
    assert providers.text.concurrency == 3
    assert providers.model == "local-llama" and providers.model_pinned


def test_auto_with_an_api_key_uses_openai(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="auto", openai_api_key="sk-test"))
    assert isinstance(providers.text, OpenAITextProvider)
    assert not providers.model_pinned


def test_openai_without_credentials_is_a_clear_startup_error(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(ai_provider="openai", openai_api_key=None, openai_base_url=None)
    with pytest.raises(ProviderConfigError, match=r"OPENAI_API_KEY.*OPENAI_BASE_URL"):
        build_providers(settings)
    with pytest.raises(ProviderConfigError):
        build_app(settings)


def test_resolve_model() -> None:
    assert resolve_model(None, "gpt-4o-mini") == "gpt-4o-mini"
    assert resolve_model("gpt-4.1", "gpt-4o-mini") == "gpt-4.1"
    assert resolve_model("gpt-5-chat", "gpt-4o-mini") == "gpt-5-chat-latest"
    assert resolve_model("gpt-4.1", "local-llama", pinned=True) == "local-llama"
    with pytest.raises(InvalidInput) as caught:
        resolve_model("gpt-2", "gpt-4o-mini", pinned=True)
    assert "generation_model_name" in caught.value.errors


async def test_the_app_hands_the_provider_set_to_services_and_jobs(
    settings_factory: Callable[..., Settings], fake_openai: FakeOpenAI
) -> None:
    app = build_app(settings_factory(**fake_openai.settings()))
    async with app.router.lifespan_context(app):
        services: AppServices = app.state.services
        assert isinstance(services.providers, ProviderSet)
        text = services.providers.require_text()
        result = await text.generate_json(
            system="s", user="A lamp", schema={"type": "object", "properties": {"title": {"type": "string"}}},
            schema_name="t",
        )  # fmt: skip
        assert isinstance(result.data["title"], str)
        assert fake_openai.calls == 1


async def test_record_usage_adds_to_the_job_and_the_workspace_ledger(
    services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={})
        job_id = job.id
    async with services.unit_of_work() as uow:
        await record_usage(uow, workspace.workspace_id, job_id, "gpt-4.1", Usage(100, 20))
        await record_usage(uow, workspace.workspace_id, job_id, "gpt-4.1", Usage(50, 5))
        await record_usage(uow, workspace.workspace_id, None, "gpt-4o-mini", Usage(7, 3))
        await record_usage(uow, workspace.workspace_id, job_id, "gpt-4.1", Usage(0, 0))  # nothing to record
        await record_usage(uow, other_workspace.workspace_id, None, "gpt-4.1", Usage(1000, 1000))
    async with services.read() as session:
        stored = await session.get(Job, job_id)
        assert stored is not None
        assert (stored.prompt_tokens, stored.completion_tokens) == (150, 25)
        totals = await AiUsageRepository(session).totals(workspace.workspace_id)
        assert [(t.model, t.calls, t.prompt_tokens, t.completion_tokens) for t in totals] == [
            ("gpt-4.1", 2, 150, 25),
            ("gpt-4o-mini", 1, 7, 3),
        ]
        rows = (await session.execute(select(AiUsage).where(AiUsage.job_id == job_id))).scalars().all()
        assert len(rows) == 2


async def test_usage_meter_writes_one_row_per_model(services: AppServices, workspace: WorkspaceInfo) -> None:
    meter = UsageMeter()
    for _ in range(50):
        meter.add("gpt-4.1", Usage(10, 2))
    meter.add("gpt-4o-mini", Usage(1, 1))
    assert meter.pending and meter.total == Usage(501, 101)
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={})
        job_id = job.id
    async with services.unit_of_work() as uow:
        await meter.flush(uow, workspace.workspace_id, job_id)
    assert not meter.pending
    async with services.unit_of_work() as uow:
        await meter.flush(uow, workspace.workspace_id, job_id)  # nothing pending: writes nothing
    async with services.read() as session:
        rows = await AiUsageRepository(session).for_job(job_id)
        assert sorted((r.model, r.prompt_tokens, r.completion_tokens) for r in rows) == [
            ("gpt-4.1", 500, 100),
            ("gpt-4o-mini", 1, 1),
        ]
        stored = await session.get(Job, job_id)
        assert stored is not None and (stored.prompt_tokens, stored.completion_tokens) == (501, 101)


async def test_provider_set_closes_its_client(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="openai", openai_base_url="http://127.0.0.1:1/v1"))
    assert isinstance(providers.text, OpenAITextProvider)
    await providers.aclose()
    assert providers.text.client.is_closed()
    await ProviderSet().aclose()  # offline: nothing to close
