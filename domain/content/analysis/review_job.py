"""The review-summariser job: the reviews that count in, the themes with their shares out, stored under the
request's ``output_id`` as well.

With a provider: one structured call names the themes and assigns the reviews to them (``review_prompt``);
offline: extractive themes (``review_offline``). Either way the shares are computed from the assignments
(``review_report``). The job's result keeps every theme with the indexes of the reviews that back it; the
document's two maps are rendered from it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from domain.ai.ports import ProviderSet, Usage
from domain.ai.service import record_usage
from domain.content.analysis.repository import AnalysisRepository
from domain.content.analysis.review_offline import review_sides, summarise_offline
from domain.content.analysis.review_prompt import SCHEMA, SCHEMA_NAME, build_review_prompt, parse_assignments
from domain.content.analysis.review_report import RankedTheme, rank_themes
from domain.content.analysis.review_request import ReviewSummaryJobParams
from domain.jobs.registry import JobContext

OFFLINE, MODEL = "offline", "model"


async def _with_model(ctx: JobContext[ReviewSummaryJobParams], providers: ProviderSet) -> list[RankedTheme]:
    p = ctx.params
    provider = providers.require_text("The review summariser")
    prompt = build_review_prompt(p.reviews, product_desc=p.product_desc, market=p.market, language=p.language)
    usage, model = Usage(), providers.model
    try:
        result = await provider.generate_json(
            system=prompt.system, user=prompt.user, schema=SCHEMA, schema_name=SCHEMA_NAME, model=providers.model
        )
        usage, model = result.usage, result.model
    finally:
        if usage.total_tokens:
            async with ctx.unit_of_work() as uow:
                await record_usage(uow, ctx.workspace_id, ctx.job_id, model, usage)
    themes, sides = parse_assignments(result.data, len(p.reviews))
    # Reviews the model gave no sentiment for (it skipped them) count by their own measured sentiment.
    measured = await asyncio.to_thread(review_sides, p.reviews) if len(sides) < len(p.reviews) else []
    return rank_themes(themes, len(p.reviews), lambda r: sides.get(r) or measured[r])


async def run(ctx: JobContext[ReviewSummaryJobParams]) -> dict[str, Any]:
    """The ``content.analysis.review_summariser`` job handler."""
    p = ctx.params
    providers: ProviderSet = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    await ctx.progress(0.1, f"Summarising {len(p.reviews)} reviews.", {"reviews": len(p.reviews)})
    if providers.offline:
        ranked = await asyncio.to_thread(summarise_offline, p.reviews, p.language, p.product_desc)
        method = OFFLINE
    else:
        ranked = await _with_model(ctx, providers)
        method = MODEL
    summary: dict[str, Any] = {
        "output_id": p.output_id,
        "themes": [t.as_dict() for t in ranked],
        "reviews_used": len(p.reviews),
        "reviews_received": p.reviews_received,
        "method": method,
    }
    await ctx.progress(0.9, f"Found {len(ranked)} themes; storing the report as '{p.output_id}'.")
    async with ctx.unit_of_work() as uow:
        await AnalysisRepository(uow.session).save_summary_output(ctx.workspace_id, p.output_id, ctx.job_id, summary)
    return summary
