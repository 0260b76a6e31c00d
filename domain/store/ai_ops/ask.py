"""One structured call to the text provider on behalf of a store AI job, its tokens recorded at once (in their
own transaction, so they are counted even when the job then fails: the provider was paid for them)."""

from __future__ import annotations

from typing import Any

from domain.ai.ports import ProviderSet, TextProvider
from domain.ai.service import record_usage, resolve_model
from domain.jobs.registry import JobContext


def providers_of(ctx: JobContext[Any]) -> ProviderSet:
    return ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()


async def ask(
    ctx: JobContext[Any],
    provider: TextProvider,
    *,
    system: str,
    user: str,
    schema: dict[str, Any],
    schema_name: str,
    temperature: float = 0.6,
) -> dict[str, Any]:
    providers = providers_of(ctx)
    model = resolve_model(None, providers.model, pinned=providers.model_pinned)
    result = await provider.generate_json(
        system=system, user=user, schema=schema, schema_name=schema_name, temperature=temperature, model=model
    )
    async with ctx.unit_of_work() as uow:
        await record_usage(uow, ctx.workspace_id, ctx.job_id, result.model or model, result.usage)
    return result.data


def string_schema(max_length: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length}
