"""The tone-of-voice analysis job: PDPs in, a style guide in the document's shape out.

The PDP texts are measured first (``tone_measures``); with a provider one structured call writes the guide from
the texts and those measurements, offline the measurements are turned into the guide (``tone_guide``). The job's
result keeps the measurements next to the guide."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.ai.ports import ProviderSet, Usage
from domain.ai.service import record_usage, resolve_model
from domain.content.analysis.tone_guide import offline_style_guide
from domain.content.analysis.tone_measures import measure
from domain.content.analysis.tone_prompt import SCHEMA, SCHEMA_NAME, build_tone_prompt
from domain.content.analysis.tone_request import STYLE_GUIDE_FIELDS, ToneJobParams
from domain.jobs.registry import JobContext


async def run(ctx: JobContext[ToneJobParams]) -> dict[str, Any]:
    """The ``content.analysis.tone_of_voice`` job handler."""
    request = ctx.params.request
    providers: ProviderSet = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    pdps = [pdp for item in request.items for pdp in item.pdp_contents]
    await ctx.progress(0.1, f"Measuring {len(pdps)} PDPs.", {"pdps": len(pdps)})
    measures = await asyncio.to_thread(measure, pdps, request.language)
    offline = offline_style_guide(measures)
    if providers.text is None:
        return {"style_guide": offline, "measures": measures.as_dict(), "method": "offline"}

    await ctx.progress(0.4, "Writing the style guide.")
    prompt = build_tone_prompt(request, measures)
    model = resolve_model(request.analysis_model_name, providers.model, pinned=providers.model_pinned)
    usage = Usage()
    try:
        result = await providers.text.generate_json(
            system=prompt.system, user=prompt.user, schema=SCHEMA, schema_name=SCHEMA_NAME, model=model
        )
        usage, model = result.usage, result.model
    finally:
        if usage.total_tokens:
            async with ctx.unit_of_work() as uow:
                await record_usage(uow, ctx.workspace_id, ctx.job_id, model, usage)
    # A field the model left empty keeps the measured judgement rather than coming back blank.
    guide = {
        name: text.strip() if isinstance(text := result.data.get(name), str) and text.strip() else offline[name]
        for name in STYLE_GUIDE_FIELDS
    }
    return {"style_guide": guide, "measures": measures.as_dict(), "method": "model"}
