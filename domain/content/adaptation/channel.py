"""Channel adaptation: a product's content on one channel rewritten for another, learnt from examples.

With a provider, one structured call per product: the channel examples (each product's content on the source
channel and as wanted on the target channel), the product's current content (and its first version), the
configuration's rules per content type (content generation's own prompt blocks) → every target content type.

Offline, the adaptation is deterministic and says so (an ``ADAPTED_OFFLINE`` warning):

- a text identical to an example's source text takes that example's target text;
- otherwise the phrase replacements the examples make (aligned word by word with ``difflib``; each with its
  unchanged neighbouring word, numbers never) are applied where the same phrase occurs, whole words only;
- a list takes the examples' usual number of items (extra items dropped; missing ones written by the offline
  composer from the product data);
- a content type the product's content lacks is written by the offline composer;
- the configuration's ``style_guide``, if any: its measurable rules, as tone-of-voice adaptation applies them.

Both end with content generation's guardrails on the channel's configuration (limits, word map, forbidden
words, omitted keywords, claims, additions).
"""

from __future__ import annotations

import asyncio
import difflib
import json
import re
import statistics
from collections.abc import Sequence
from typing import Any

from domain.ai.ports import ProviderError
from domain.ai.service import CHANNEL_ADAPTATION, UsageMeter
from domain.content.adaptation.common import (
    ADAPTED_OFFLINE,
    Content,
    bounded,
    flush_usage,
    guard,
    model_for,
    providers_of,
    shaped,
    spec_of,
    structured,
    with_families,
)
from domain.content.adaptation.requests import ChannelExample, ChannelItem, ChannelJobParams
from domain.content.adaptation.tone import restyle, style_rules
from domain.content.guardrails import ContentWarning
from domain.content.offline import compose
from domain.content.pipeline import coerce
from domain.content.products import ProductData, from_request
from domain.content.prompt import Prompt, content_schema, entities_block, prompt_attributes, type_block
from domain.content.spec import GenerationSpec
from domain.content.textops import replace_phrases, tidy
from domain.jobs.registry import JobContext

_TOKEN = re.compile(r"\w[\w'\u2019-]*|[^\w\s]")
MAX_PHRASE_WORDS = 12  # longer replacements are rewrites, not phrasing


# --- offline ---------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _join(tokens: Sequence[str]) -> str:
    return tidy(" ".join(tokens).replace(" ,", ",").replace(" .", ".").replace(" ;", ";").replace(" :", ":"))


def _pairs(source: str | list[str], target: str | list[str]) -> list[tuple[str, str]]:
    """Aligned (source text, target text) pairs of one content type: bullets by position, texts whole."""
    if isinstance(source, list) and isinstance(target, list):
        return list(zip(source, target, strict=False))
    return [(_as_text(source), _as_text(target))]


def _as_text(value: str | list[str]) -> str:
    return " ".join(value) if isinstance(value, list) else value


def learn_replacements(examples: Sequence[ChannelExample], content_type: str) -> dict[str, str]:
    """The phrase replacements the examples make in one content type: word spans the target changes (not
    insertions or deletions, nor numbers), each with its unchanged neighbouring words, longest first."""
    found: dict[str, str] = {}
    for example in examples:
        if content_type not in example.source or content_type not in example.target:
            continue
        for before, after in _pairs(example.source[content_type], example.target[content_type]):
            a, b = _words(before), _words(after)
            matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op != "replace" or max(i2 - i1, j2 - j1) > MAX_PHRASE_WORDS:
                    continue
                # Numbers are facts of the example's product (its model year, its size), never phrasing.
                if any(ch.isdigit() for ch in _join(a[i1:i2]) + _join(b[j1:j2])):
                    continue
                # A change is learnt with the unchanged word on each side of it, so that it is made again only
                # in the same context ("the device and" -> "the power button and", not every "device").
                left = 1 if i1 > 0 and j1 > 0 and a[i1 - 1].lower() == b[j1 - 1].lower() else 0
                right = 1 if i2 < len(a) and j2 < len(b) and a[i2].lower() == b[j2].lower() else 0
                if not left and not right:
                    continue
                old, new = _join(a[i1 - left : i2 + right]), _join(b[j1 - left : j2 + right])
                if any(ch.isalnum() for ch in old) and old.lower() != new.lower():
                    found.setdefault(old, new)
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


def _same(a: str | list[str], b: str | list[str]) -> bool:
    def norm(v: str | list[str]) -> list[str]:
        return [" ".join(x.split()).lower() for x in (v if isinstance(v, list) else [v])]

    return norm(a) == norm(b)


def _usual_count(examples: Sequence[ChannelExample], content_type: str) -> int | None:
    counts = [len(v) for e in examples if isinstance(v := e.target.get(content_type), list)]
    return int(statistics.median_low(counts)) if counts else None


def adapt_offline(
    item: ChannelItem, product: ProductData, examples: Sequence[ChannelExample], spec: GenerationSpec
) -> tuple[Content, ContentWarning]:
    """The deterministic adaptation of one product's content, and the warning that says what was done."""
    given = shaped(item.pdp_content, spec)
    composed = compose([product], spec)
    out: Content = {}
    copied = replaced = added = written = 0
    for t in spec.content_types:
        text = given.get(t.name)
        if not text:
            out[t.name] = composed[t.name]
            written += 1
            continue
        match = next(
            (e.target[t.name] for e in examples if t.name in e.target and _same(e.source.get(t.name, ""), text)),
            None,
        )
        if match is not None:
            out[t.name] = list(match) if t.is_list and isinstance(match, list) else match
            copied += 1
            continue
        swaps = learn_replacements(examples, t.name)
        if isinstance(text, list):
            new = [replace_phrases(b, swaps) for b in text]
            replaced += sum(1 for x, y in zip(text, new, strict=True) if x != y)
            wanted = _usual_count(examples, t.name)
            if wanted is not None and len(new) > wanted:
                new = new[:wanted]
            elif wanted is not None and len(new) < wanted:
                extra = [b for b in composed.get(t.name, []) if b not in new]
                added += min(len(extra), wanted - len(new))
                new += extra[: wanted - len(new)]
            out[t.name] = new
        else:
            new_text = replace_phrases(text, swaps)
            replaced += int(new_text != text)
            out[t.name] = new_text
    restyled = ""
    if spec.style_guide:  # the configuration's style guide: its measurable rules, as tone adaptation applies them
        rules = style_rules(spec.style_guide)
        for t in spec.content_types:
            value = out[t.name]
            split = t.family != "title"
            out[t.name] = (
                [restyle(v, rules, split=split) for v in value]
                if isinstance(value, list)
                else (restyle(value, rules, split=split))
            )
        restyled = "the style guide's measurable rules (emoji, exclamation marks, sentence length)"
    done = [
        f"{copied} text(s) taken from matching channel examples" if copied else "",
        f"{replaced} text(s) with the examples' phrase replacements" if replaced else "",
        f"{added} list item(s) added from the product data" if added else "",
        f"{written} content type(s) written from the product data" if written else "",
        restyled,
    ]
    summary = "; ".join(d for d in done if d) or "no example phrasing applied"
    warning = ContentWarning(
        None,  # type: ignore[arg-type]  # about the whole product, as PRODUCT_NOT_FOUND is
        ADAPTED_OFFLINE,
        f"adapted without an AI provider: {summary}; then the channel's rules; the text was not rewritten",
    )
    return out, warning


# --- with a provider -------------------------------------------------------------------------------------------


def _json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=1)


def channel_prompt(item: ChannelItem, product: ProductData, params: ChannelJobParams, spec: GenerationSpec) -> Prompt:
    gp = params.request.content_generation_params
    source = gp.source_channel or "the source channel"
    forbidden = list(spec.client.get("forbidden_words") or [])
    system = [
        f"You adapt e-commerce product detail page content from {source} to the sales channel {gp.channel}.",
        f"Market: {gp.market}. Language: write every text in the language '{gp.language}'.",
        "Learn from the examples how the content changes between the two channels (length, structure, wording, "
        "tone) and make the same kind of changes to the product's content.",
        "Use only facts from the product data and its content; never invent specifications.",
        "Keep verbatim claims and disclaimers exactly as given. Answer with one JSON object matching the schema.",
    ]
    if forbidden:
        system.append(f"Never use these words or phrases: {', '.join(forbidden)}.")
    if spec.word_map:
        system.append("Preferred wording: " + "; ".join(f'"{k}" -> "{v}"' for k, v in spec.word_map.items()) + ".")
    if spec.style_guide:
        system.append("Style guide:")
        system += [f"- {k.replace('_', ' ')}: {v}" for k, v in spec.style_guide.items()]
    user: list[str] = []
    for n, example in enumerate(gp.channel_examples or [], start=1):
        user.append(f"Example {n}{f' (product {example.product_id})' if example.product_id else ''}:")
        user.append(f"On {source}:\n{_json(example.source)}")
        user.append(f"On {gp.channel}:\n{_json(example.target)}")
        user.append("")
    user += ["Product:", f"- Product name: {product.name}", f"- Brand: {product.brand}"]
    user.append(f"- Description: {product.description}")
    user += [f"- {name}: {value}" for name, value in prompt_attributes(product, spec)]
    user += entities_block(product, spec)
    if item.initial_pdp_content:
        user.append(f"Its first content on {source}:\n{_json(item.initial_pdp_content)}")
    user.append(f"Its current content on {source} (adapt this one):\n{_json(item.pdp_content)}")
    user += ["", f"Content types to write for {gp.channel}:"]
    tone = spec.tone_for(product.brand)
    for t in spec.content_types:
        user += type_block(t, product, tone)
    return Prompt(
        system="\n".join(system),
        user="\n".join(user),
        schema=content_schema(spec.content_types),
        schema_name="channel_content",
    )


# --- the job ---------------------------------------------------------------------------------------------------


async def run(ctx: JobContext[ChannelJobParams]) -> dict[str, Any]:
    """The ``content.adaptation.channel`` job handler: ``{product_id: {"content", "product", "warnings"}}``."""
    params = ctx.params
    request = params.request
    gp = request.content_generation_params
    examples = list(gp.channel_examples or [])
    samples = [*(e.target for e in examples), *(item.pdp_content for item in request.items)]
    config = with_families(params.content_config, params.content_types, samples)
    spec = spec_of(params.content_types, config)
    providers = providers_of(ctx)
    provider = providers.text
    model = model_for(providers, request.adaptation_model_name, CHANNEL_ADAPTATION)
    meter = UsageMeter()
    results: dict[str, dict[str, Any]] = {}
    lock = asyncio.Lock()
    total = len(request.items)
    await ctx.progress(0.0, f"Adapting content for {total} products to {gp.channel}.", {"products": total})

    async def one(item: ChannelItem) -> None:
        product = from_request(item.product)
        notes: list[ContentWarning] = []
        try:
            if provider is None:
                content, note = adapt_offline(item, product, examples, spec)
                notes.append(note)
            else:
                data = await structured(provider, channel_prompt(item, product, params, spec), model, meter)
                content, notes = coerce(data, spec.content_types)
            final, warnings = await guard(
                content, product, spec, config, provider,
                model=model, language=gp.language, meter=meter, channel=gp.channel,
            )  # fmt: skip
        except ProviderError as exc:
            raise ProviderError(f"Channel adaptation failed for product {product.product_id}: {exc.message}") from exc
        async with lock:  # one write at a time, so the progress a subscriber sees never goes backwards
            results[product.product_id] = {
                "content": final,
                "product": product.document(),
                "warnings": [w.as_dict() for w in [*notes, *warnings]],
            }
            await ctx.progress(
                len(results) / total,
                f"Content for product {product.product_id}: completed ({len(results)} of {total}).",
                {"product_id": product.product_id, "status": "completed"},
            )

    try:
        await bounded(request.items, one)
    finally:
        await flush_usage(ctx, meter)
    return {pid: results[pid] for pid in params.product_ids if pid in results}
