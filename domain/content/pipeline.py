"""The content-generation job: products in, content per product out, every rule applied.

Per product, or per variant group (products sharing ``variant_group_id``, unless ``skip_grouping``):

1. one structured call writes every requested content type (the offline composer when there is no
   provider); a group's shared text is written once with ``{{variant.<Field>}}`` placeholders;
2. the text is rendered for each product of the group (its own variant data field values);
3. a first guardrails pass without cutting finds the texts that are too long; one shortening call (with
   each type's ``guidelines_shortener`` and the room left after additions and disclaimers) rewrites them;
4. the final guardrails pass (word map, forbidden words, omitted keywords, false entities, verbatim claims
   with disclaimers at the end, clean cuts, additions) and its warnings.

Groups run concurrently (bounded); progress is reported per product with ``data={"product_id": ...}``;
token usage is recorded per job and model when the job ends, also when it fails (per job and per
workspace). A provider that keeps failing fails
the job with the provider's error.
"""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.ai.ports import ProviderError, ProviderSet, TextProvider, Usage
from domain.ai.service import CONTENT_GENERATION, record_usage, resolve_model
from domain.catalog.loads import CatalogLoads
from domain.content.guardrail_rules import build_rules
from domain.content.guardrails import EXCEED_LENGTH, ContentWarning, apply_guardrails, length_budgets
from domain.content.models import ContentFeedback
from domain.content.offline import compose
from domain.content.products import ProductData, catalog_id, from_catalog, from_request
from domain.content.prompt import build_prompt, build_shortening_prompt, variant_fields
from domain.content.repository import ContentRepository
from domain.content.request import GenerationJobParams
from domain.content.spec import GenerationSpec, TypeSpec, build_spec
from domain.content.textops import replace_phrases, tidy
from domain.errors import DomainError
from domain.jobs.registry import JobCancelled, JobContext

Content = dict[str, str | list[str]]

MAX_PARALLEL_GROUPS = 32  # the provider's own concurrency limit bounds the calls in flight
FEEDBACK_EXAMPLES = 3  # the workspace's latest corrections shown to later generations
PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
SKIPPED_CONTENT_TYPE = "SKIPPED_CONTENT_TYPE"
EMPTY_CONTENT = "EMPTY_CONTENT"
_VARIANT = re.compile(r"\{\{\s*variant\.([^}]+?)\s*\}\}")


@dataclass(frozen=True)
class RunOptions:
    market: str | None
    channel: str | None
    language: str | None
    feedback: Sequence[ContentFeedback]
    model: str


def group_products(products: Sequence[ProductData], *, skip_grouping: bool) -> list[list[ProductData]]:
    """Variant groups in request order; the first product of a group is its main product. A product of no
    variant group (a catalog product without one) stands alone."""
    if skip_grouping:
        return [[p] for p in products]
    groups: dict[str | tuple[str], list[ProductData]] = {}
    for product in products:
        key = product.variant_group_id if product.variant_group_id is not None else (product.product_id,)
        groups.setdefault(key, []).append(product)
    return list(groups.values())


def coerce(data: dict[str, Any], types: Sequence[TypeSpec]) -> tuple[Content, list[ContentWarning]]:
    """The provider's answer in the content shape (a list for bullets, a string otherwise)."""
    content: Content = {}
    warnings: list[ContentWarning] = []
    for t in types:
        value = data.get(t.name)
        if t.is_list:
            if isinstance(value, str):
                value = [line.strip(" -*\u2022\t") for line in value.splitlines()]
            items = [str(v).strip() for v in value or [] if str(v).strip()] if isinstance(value, list) else []
            content[t.name] = items
        else:
            text = " ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
            content[t.name] = text.strip()
        if not content[t.name]:
            warnings.append(ContentWarning(t.name, EMPTY_CONTENT, f"the provider wrote no {t.name}"))
    return content, warnings


def render_for(content: Content, product: ProductData, main: ProductData, spec: GenerationSpec) -> Content:
    """A group's shared text for one product: placeholders filled with its variant data field values, and any
    value of the main product the writer used literally swapped for this product's own."""
    swaps: dict[str, str] | None = None  # the main product's own texts: nothing to swap
    if product is not main:
        swaps = {}
        for name in variant_fields(spec):
            mine, theirs = product.attribute(name, spec.field_map), main.attribute(name, spec.field_map)
            if mine and theirs and mine.lower() != theirs.lower():
                swaps[theirs] = mine

    def fill(text: str) -> str:
        # Without swaps, a text without a placeholder is the product's as written.
        return _fill(text, product, spec, swaps) if swaps is not None or "{{" in text else text

    return {k: [fill(v) for v in value] if isinstance(value, list) else fill(value) for k, value in content.items()}


def _fill(text: str, product: ProductData, spec: GenerationSpec, swaps: dict[str, str] | None = None) -> str:
    """``text`` with its placeholders filled with the product's values, and ``swaps`` made (``render_for``)."""
    out = _VARIANT.sub(lambda m: product.attribute(m.group(1), spec.field_map), text)
    if swaps is not None:
        out = replace_phrases(out, swaps)
    return tidy(out) if out != text else out


def guard_config(config: dict[str, Any], spec: GenerationSpec) -> dict[str, Any]:
    """The merged configuration with each type's effective limit and family (built-in defaults filled in)."""
    out = copy.deepcopy(config)
    types = out.setdefault("content_types", {})
    families = out.setdefault("client", {}).setdefault("content_type_family_map", {})
    for t in spec.content_types:
        entry = types.setdefault(t.name, {})
        if t.character_limit is not None:
            entry["character_limit"] = t.character_limit
        families[t.name] = t.family
    return out


async def _write(
    group: Sequence[ProductData], spec: GenerationSpec, provider: TextProvider | None, s: RunOptions
) -> tuple[Content, list[ContentWarning], Usage, str]:
    if not spec.content_types:  # every requested type is in client.skip_content_types: nothing to write
        return {}, [], Usage(), s.model
    if provider is None:
        return compose(group, spec), [], Usage(), "offline"
    prompt = build_prompt(group, spec, market=s.market, channel=s.channel, language=s.language, feedback=s.feedback)
    result = await provider.generate_json(
        system=prompt.system, user=prompt.user, schema=prompt.schema, schema_name=prompt.schema_name, model=s.model
    )
    content, warnings = coerce(result.data, spec.content_types)
    return content, warnings, result.usage, result.model


async def shorten(
    shared: Content,
    group: Sequence[ProductData],
    spec: GenerationSpec,
    config: dict[str, Any],
    provider: TextProvider,
    s: RunOptions,
) -> tuple[Content, Usage]:
    """One shortening call for the texts the main product's first (uncut) guardrails pass finds too long."""
    main = group[0]
    names = [t.name for t in spec.content_types]
    rendered = render_for(shared, main, main, spec)
    rules = build_rules(config, main.document(), names, siblings=[p.document() for p in group[1:]])
    _, warnings = apply_guardrails(rendered, rules, cut=False)
    over = [
        t for t in spec.content_types if any(w.content_type == t.name and w.code == EXCEED_LENGTH for w in warnings)
    ]
    if not over:
        return shared, Usage()
    budgets = length_budgets(rendered, rules)
    prompt = build_shortening_prompt(
        {t.name: shared[t.name] for t in over}, budgets, over, language=s.language or main.language
    )
    result = await provider.generate_json(
        system=prompt.system, user=prompt.user, schema=prompt.schema, schema_name=prompt.schema_name, model=s.model
    )
    shortened, _ = coerce(result.data, over)
    out = dict(shared)
    for name, value in shortened.items():
        if value:  # an empty answer keeps the long text: the clean cut then handles it
            out[name] = value
    return out, result.usage


async def generate_group(
    group: Sequence[ProductData],
    spec: GenerationSpec,
    config: dict[str, Any],
    provider: TextProvider | None,
    s: RunOptions,
    effective: dict[str, Any] | None = None,
) -> tuple[dict[str, dict[str, Any]], Usage, str]:
    """Result entries for every product of one group, the tokens used and the model that answered.
    ``effective``: ``guard_config(config, spec)`` when the caller already has it (one per job, not per group)."""
    shared, written_warnings, usage, model = await _write(group, spec, provider, s)
    if effective is None:
        effective = guard_config(config, spec)
    if provider is not None:
        shared, more = await shorten(shared, group, spec, effective, provider, s)
        usage = usage + more
    names = [t.name for t in spec.content_types]
    skipped = [
        ContentWarning(name, SKIPPED_CONTENT_TYPE, f"{name} is in client.skip_content_types and was not written")
        for name in spec.skipped
    ]
    documents = [p.document() for p in group]
    entries: dict[str, dict[str, Any]] = {}
    for product, document in zip(group, documents, strict=True):
        content = render_for(shared, product, group[0], spec)
        siblings = [d for p, d in zip(group, documents, strict=True) if p is not product]
        rules = build_rules(effective, document, names, siblings=siblings)
        final, warnings = apply_guardrails(content, rules, cut=True)
        entries[product.product_id] = {
            "content": final,
            "product": document,
            "warnings": [w.as_dict() for w in [*written_warnings, *warnings, *skipped]],
        }
    return entries, usage, model


def not_found_entry(product_id: str) -> dict[str, Any]:
    return {
        "content": {},
        "product": {"product_id": product_id},
        "warnings": [
            {
                "content_type": None,
                "code": PRODUCT_NOT_FOUND,
                "description": f"product {product_id} is not in this workspace's catalog",
            }
        ],
    }


async def _load_catalog(
    ctx: JobContext[GenerationJobParams], ids: Sequence[str], *, market: str, language: str
) -> tuple[list[ProductData], list[str]]:
    wanted = {raw: catalog_id(raw) for raw in ids}
    numeric = [i for i in wanted.values() if i is not None]
    async with ctx.unit_of_work() as uow:
        catalog = CatalogLoads(uow.session)  # the catalog area's batch reads, scoped to the workspace
        found = await catalog.products(ctx.workspace_id, numeric) if numeric else {}
        brand_ids = sorted({p.brand_id for p in found.values() if p.brand_id is not None})
        brands = await catalog.brands(ctx.workspace_id, brand_ids) if brand_ids else {}
    products: list[ProductData] = []
    missing: list[str] = []
    for raw, key in wanted.items():
        row = found.get(key) if key is not None else None
        if row is None:
            missing.append(raw)
            continue
        brand = brands.get(row.brand_id) if row.brand_id is not None else None
        data = from_catalog(row, brand.title if brand else None, market=market, language=language)
        data.product_id = raw  # results are keyed by the id the caller sent
        products.append(data)
    return products, missing


async def run(ctx: JobContext[GenerationJobParams]) -> dict[str, Any]:
    """The ``content.generation`` job handler."""
    params = ctx.params
    request = params.request
    gp = request.content_generation_params
    config = params.content_config
    spec = build_spec(list(gp.content_types), config)
    providers: ProviderSet = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()

    order = list(params.product_ids)
    if request.products is not None:
        products = [from_request(p) for p in request.products]
        missing: list[str] = []
    else:
        products, missing = await _load_catalog(ctx, order, market=gp.market or "", language=gp.language or "")
    async with ctx.unit_of_work() as uow:
        feedback = await ContentRepository(uow.session).latest_feedback(ctx.workspace_id, limit=FEEDBACK_EXAMPLES)

    provider = providers.text
    model = (
        resolve_model(
            request.generation_model_name, providers.model, pinned=providers.model_pinned, operation=CONTENT_GENERATION
        )
        if provider is not None
        else "offline"
    )
    options = RunOptions(market=gp.market, channel=gp.channel, language=gp.language, feedback=feedback, model=model)
    total = max(len(order), 1)
    results: dict[str, dict[str, Any]] = {}
    done = 0

    async def report(product_id: str, status: str) -> None:
        # No lock: the context queues reports in call order and writes those that arrive while a write is in
        # flight together (one transaction), so progress never goes backwards and no reporter waits in line.
        nonlocal done
        done += 1
        await ctx.progress(
            done / total,
            f"Content for product {product_id}: {status} ({done} of {len(order)}).",
            {"product_id": product_id, "status": status},
        )

    for product_id in missing:
        results[product_id] = not_found_entry(product_id)
    announced = asyncio.Event()  # the opening report and the not-found ones are made before any other

    async def announce() -> None:
        await ctx.progress(0.0, f"Generating content for {len(order)} products.", {"products": len(order)})
        for product_id in missing:
            await report(product_id, "not_found")
        announced.set()

    limit = asyncio.Semaphore(MAX_PARALLEL_GROUPS)
    used: dict[str, Usage] = {}
    effective = guard_config(config, spec)  # read-only from here on: shared by every group

    async def one(group: list[ProductData]) -> None:
        async with limit:
            try:
                entries, usage, used_model = await generate_group(group, spec, config, provider, options, effective)
            except ProviderError as exc:
                ids = ", ".join(p.product_id for p in group)
                raise ProviderError(f"Content generation failed for product {ids}: {exc.message}") from exc
            if usage.total_tokens:
                used[used_model] = used.get(used_model, Usage()) + usage
        # Reported outside the slot: a progress write waiting for the database never holds back a provider call.
        await announced.wait()
        for product in group:
            results[product.product_id] = entries[product.product_id]
            await report(product.product_id, "completed")

    try:
        async with asyncio.TaskGroup() as tasks:
            # The first calls go out while the opening report is written: nothing waits for that commit.
            for group in group_products(products, skip_grouping=request.skip_grouping):
                tasks.create_task(one(group))
            await announce()
    except ExceptionGroup as group_error:
        # The first meaningful failure, unwrapped, so the job fails with its code and message.
        for wanted in (JobCancelled, DomainError, Exception):
            for exc in group_error.exceptions:
                if isinstance(exc, wanted):
                    raise exc from None
        raise
    finally:
        # Tokens are recorded once per job and model (also when it fails): one write instead of one per call.
        if used:
            async with ctx.unit_of_work() as uow:
                for used_model, usage in used.items():
                    await record_usage(uow, ctx.workspace_id, ctx.job_id, used_model, usage)
    return {product_id: results[product_id] for product_id in order if product_id in results}
