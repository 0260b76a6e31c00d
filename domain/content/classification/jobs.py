"""The ``content.analysis.product_classification`` job kind: one product classified in the background."""

from __future__ import annotations

from typing import Any

from domain.ai.ports import ProviderSet
from domain.ai.service import record_usage
from domain.content.classification.classifier import OFFLINE, classify, result_json
from domain.content.classification.ranking import Candidate
from domain.content.classification.request import ClassificationJobParams
from domain.jobs.registry import JobContext, JobKind


async def run(ctx: JobContext[ClassificationJobParams]) -> dict[str, Any]:
    params = ctx.params
    providers: ProviderSet = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    await ctx.progress(0.0, f"Classifying '{params.product.product_name}' ({params.channel}).")

    async def found(candidates: list[Candidate]) -> None:
        then = "the model is choosing" if providers.text is not None else "the best one is chosen"
        await ctx.progress(
            0.5,
            f"Found {len(candidates)} candidate categories; {then}.",
            {"candidates": [c.code for c in candidates]},
        )

    outcome = await classify(params.product, params.channel, params.locale, providers, on_candidates=found)
    if outcome.model != OFFLINE:
        async with ctx.unit_of_work() as uow:
            await record_usage(uow, ctx.workspace_id, ctx.job_id, outcome.model, outcome.usage)
    return result_json(outcome)


PRODUCT_CLASSIFICATION = JobKind(
    name="content.analysis.product_classification",
    params=ClassificationJobParams,
    handler=run,
    description="Classifies a product in the GPC or Google product taxonomy.",
)
