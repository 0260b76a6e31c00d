"""What the adaptation jobs share with content generation: the content types' specs, the structured call,
the shortening pass and the guardrails — content generation's own functions, called with the adaptation's
texts.

Every adaptation ends the same way as a generated text: a first guardrails pass without cutting finds the
texts over their limit, one shortening call (provider only) rewrites them, and the final pass applies every
rule and reports what could not be met as warnings.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from domain.ai.ports import ProviderSet, TextProvider
from domain.ai.service import UsageMeter, resolve_model
from domain.content.defaults import BUILTIN_CONTENT_TYPES
from domain.content.guardrail_rules import build_rules, family_of
from domain.content.guardrails import EXCEED_LENGTH, ContentWarning, apply_guardrails
from domain.content.pipeline import RunOptions, coerce, guard_config, shorten
from domain.content.products import ProductData
from domain.content.prompt import Prompt
from domain.content.spec import GenerationSpec, build_spec
from domain.errors import DomainError
from domain.jobs.registry import JobCancelled, JobContext

Content = dict[str, str | list[str]]
T = TypeVar("T")

ADAPTED_OFFLINE = "ADAPTED_OFFLINE"  # no provider: what was done (and not done) deterministically
ITEM_COUNT = "ITEM_COUNT"  # a rewritten list does not have its source's number of items
MAX_PARALLEL = 8  # the provider's own concurrency limit bounds the calls in flight


def providers_of(ctx: JobContext[Any]) -> ProviderSet:
    return ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()


def model_for(providers: ProviderSet, requested: str | None, operation: str) -> str:
    """The model to call for a request's ``*_model_name`` (checked against its operation's enum)."""
    if providers.text is None:
        return "offline"
    return resolve_model(requested, providers.model, pinned=providers.model_pinned, operation=operation)


def with_families(
    config: Mapping[str, Any], content_types: Sequence[str], samples: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """``config`` with a family for every content type it and the built-ins leave open, read from the sample
    contents (a list is bullets); so ``bullets_amazon`` in a channel's examples stays a list."""
    out = copy.deepcopy(dict(config))
    families = out.setdefault("client", {}).setdefault("content_type_family_map", {})
    for name in content_types:
        if name in families or name in BUILTIN_CONTENT_TYPES:
            continue
        shapes = [s[name] for s in samples if name in s]
        if any(isinstance(v, list) for v in shapes):
            families[name] = "bullets"
        elif shapes:
            families[name] = "string" if family_of(name) == "bullets" else family_of(name)
    return out


def spec_of(content_types: Sequence[str], config: Mapping[str, Any]) -> GenerationSpec:
    """The types' specs (task, limit, guidelines …) from the configuration, built-ins filling the gaps. Types in
    ``client.skip_content_types`` are still written: an adaptation keeps every text it is given."""
    config = dict(config)
    client = dict(config.get("client") or {})
    client.pop("skip_content_types", None)
    config["client"] = client
    return build_spec(list(content_types), config)


def shaped(content: Mapping[str, Any], spec: GenerationSpec) -> Content:
    """A supplied PDP content in each type's shape (bullets a list, others a text)."""
    data, _ = coerce(dict(content), spec.content_types)
    return data


def keep_counts(written: Content, source: Content) -> tuple[Content, list[ContentWarning]]:
    """A rewrite keeps its source's lists item for item (a rewritten or translated bullet per bullet): extra
    items the writer added are dropped, missing ones reported."""
    out = dict(written)
    warnings: list[ContentWarning] = []
    for name, value in written.items():
        wanted = source.get(name)
        if not isinstance(value, list) or not isinstance(wanted, list) or len(value) == len(wanted):
            continue
        if len(value) > len(wanted):
            out[name] = value[: len(wanted)]
            description = (
                f"{name}: the writer returned {len(value)} items for {len(wanted)}; the first {len(wanted)} are kept"
            )
        else:
            description = f"{name}: the writer returned {len(value)} items for {len(wanted)}"
        warnings.append(ContentWarning(name, ITEM_COUNT, description))
    return out, warnings


async def structured(provider: TextProvider, prompt: Prompt, model: str, meter: UsageMeter) -> dict[str, Any]:
    """One structured call; its tokens go to ``meter`` (recorded when the job ends)."""
    result = await provider.generate_json(
        system=prompt.system, user=prompt.user, schema=prompt.schema, schema_name=prompt.schema_name, model=model
    )
    meter.add(result.model, result.usage)
    return result.data


def bare_product(language: str) -> ProductData:
    """The guardrails' product for texts that come without one (tone of voice, translation)."""
    return ProductData(
        product_id="", name="", description="", brand="", market="", language=language, variant_group_id=""
    )


async def guard(
    content: Content,
    product: ProductData,
    spec: GenerationSpec,
    config: Mapping[str, Any],
    provider: TextProvider | None,
    *,
    model: str,
    language: str,
    meter: UsageMeter,
    channel: str | None = None,
) -> tuple[Content, list[ContentWarning]]:
    """Content generation's ending: the shortening call for texts over their limit (provider only), then the
    final guardrails pass (word map, forbidden words, omitted keywords, entities, claims, clean cut,
    additions) and its warnings."""
    effective = guard_config(dict(config), spec)
    if provider is not None:
        options = RunOptions(market=product.market, channel=channel, language=language, feedback=(), model=model)
        content, usage = await shorten(content, [product], spec, effective, provider, options)
        if usage.total_tokens:
            meter.add(model, usage)
    names = [t.name for t in spec.content_types]
    rules = build_rules(effective, product.document(), names)
    final, warnings = apply_guardrails(content, rules, cut=True)
    return _not_emptied(content, final, spec, warnings)


def _not_emptied(
    written: Content, final: Content, spec: GenerationSpec, warnings: list[ContentWarning]
) -> tuple[Content, list[ContentWarning]]:
    """A text the clean cut would leave empty (one word longer than the limit) is kept as written and reported
    as too long: an empty text would be a silent loss."""
    out = dict(final)
    for t in spec.content_types:
        before, after = written.get(t.name), final.get(t.name)
        limit = t.character_limit or 0
        if isinstance(before, str) and before.strip() and not after:
            out[t.name] = before
            warnings.append(
                ContentWarning(t.name, EXCEED_LENGTH, f"{t.name} exceeds length by {len(before) - limit} characters")
            )
    return out, warnings


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[None]], limit: int = MAX_PARALLEL) -> None:
    """``work`` on every item, at most ``limit`` at a time; the first failure is raised as itself."""
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> None:
        async with gate:
            await work(item)

    try:
        async with asyncio.TaskGroup() as tasks:
            for item in items:
                tasks.create_task(one(item))
    except ExceptionGroup as group:
        # The first meaningful failure, unwrapped, so the job fails (or is cancelled) with its own code.
        for wanted in (JobCancelled, DomainError, Exception):
            for exc in group.exceptions:
                if isinstance(exc, wanted):
                    raise exc from None
        raise


async def flush_usage(ctx: JobContext[Any], meter: UsageMeter) -> None:
    if meter.pending:
        async with ctx.unit_of_work() as uow:
            await meter.flush(uow, ctx.workspace_id, ctx.job_id)
