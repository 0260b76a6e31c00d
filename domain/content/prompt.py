"""The generation prompt: everything in ``content_generation_params`` turned into instructions.

One structured call per product (or variant group) writes every requested content type: the JSON schema
has one property per type (a string, or an array of strings for the bullets family). For a variant group
the model writes the shared text once and puts ``{{variant.<Field>}}`` wherever a variant data field's
value belongs; the pipeline renders it per variant.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domain.content.guardrails import parse_claim
from domain.content.models import ContentFeedback
from domain.content.products import ProductData, norm
from domain.content.spec import GenerationSpec, TypeSpec

MAX_PROMPT_REVIEWS = 200
MAX_REVIEW_CHARS = 6000


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    schema: dict[str, Any]
    schema_name: str


def content_schema(types: Sequence[TypeSpec], *, bullets: dict[str, int] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for spec in types:
        if spec.is_list:
            properties[spec.name] = {
                "type": "array",
                "items": {"type": "string"},
                "description": f"{(bullets or {}).get(spec.name, spec.bullet_count)} bullet points",
            }
        else:
            properties[spec.name] = {"type": "string"}
    return {
        "type": "object",
        "properties": properties,
        "required": [s.name for s in types],
        "additionalProperties": False,
    }


def _lines(title: str, items: Sequence[str]) -> list[str]:
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        return []
    return [f"{title}:", *[f"- {i.lstrip('*- ').strip()}" for i in items]]


_NOT_SEARCH = ("claim", "avoid", "omit", "must_not", "mustnot", "forbidden", "exclude")


def search_keywords(product: ProductData, spec: GenerationSpec | None = None) -> list[str]:
    """The product's keywords a writer may use freely: every group except claims and words to avoid, and
    (with ``spec``) except the groups any content type names in ``omit`` or as claims (``restricted_groups``)."""
    restricted = spec.restricted_groups if spec is not None else frozenset()
    banned = {w.lower() for w in product.keyword_groups(sorted(restricted))} if restricted else set()
    words = [
        k for group, items in product.keywords.items() if group not in restricted and _searchable(group) for k in items
    ]
    if banned:
        return list(dict.fromkeys([w for w in words if w and w.lower() not in banned]))
    return list(dict.fromkeys(filter(None, words)))


@lru_cache(maxsize=1024)
def _searchable(group: str) -> bool:
    """Whether a keyword group's name does not say its keywords are claims or words to avoid."""
    low = group.lower()
    return not any(x in low for x in _NOT_SEARCH)


def variant_fields(spec: GenerationSpec) -> list[str]:
    return list(spec.variant_data_fields)


def prompt_attributes(product: ProductData, spec: GenerationSpec) -> list[tuple[str, str]]:
    """The attributes the prompt shows: ``prompt_attributes`` (display names) when given, else all of them."""
    wanted = spec.client.get("prompt_attributes")
    if wanted:
        field_map = spec.field_map
        pairs = [(name, product.attribute(name, field_map)) for name in wanted]
        return [(n, v) for n, v in pairs if v]
    display = {norm(k): v for k, v in spec.field_map.items()}
    out: list[tuple[str, str]] = []
    for attr in product.attributes:
        name = str(attr.get("name"))
        value = product.attribute(name)
        if value:
            out.append((display.get(norm(name), name), value))
    return out


def _uses_reviews(spec: GenerationSpec) -> bool:
    """Reviews go into the prompt when ``review_attributes`` names them (directly or via field_map)."""
    wanted = spec.client.get("review_attributes")
    if wanted is None:
        return True
    names = {norm(n) for n in wanted}
    aliases = {norm(v) for k, v in spec.field_map.items() if norm(k) == "reviews"}
    return bool(names & ({"reviews", "positivereviews", "review"} | aliases))


def reviews_block(product: ProductData, spec: GenerationSpec) -> list[str]:
    if not _uses_reviews(spec) or not product.reviews:
        return []
    out = ["Customer reviews (use them for highlights and to answer common concerns; never name reviewers):"]
    used = 0
    for review in product.reviews[:MAX_PROMPT_REVIEWS]:
        text = str(review.get("review_text", "")).strip().replace("\n", " ")
        if not text:
            continue
        if used + len(text) > MAX_REVIEW_CHARS:
            break
        used += len(text)
        out.append(f"- {text}")
    return out if len(out) > 1 else []


def _keyword_block(spec: TypeSpec, product: ProductData) -> list[str]:
    groups = spec.keyword_groups
    lines: list[str] = []
    must = product.keyword_groups(groups.get("must"))
    should = product.keyword_groups(groups.get("should"))
    omit = product.keyword_groups(groups.get("omit"))
    if must:
        lines.append(f"  Must include each of these keywords: {', '.join(must)}.")
    if should:
        lines.append(f"  Include these keywords where they read naturally: {', '.join(should)}.")
    if omit:
        lines.append(f"  Never use these words: {', '.join(omit)}.")
    for raw in product.keyword_groups(groups.get("verbatim_must_claims")):
        claim = parse_claim(raw)
        if claim.disclaimer:
            lines.append(
                f'  Include this claim word for word: "{claim.text}" and end the {spec.name} with this '
                f'disclaimer word for word: "{claim.disclaimer}".'
            )
        else:
            lines.append(f'  Include this claim word for word: "{claim.text}".')
    optional = product.keyword_groups(groups.get("non_verbatim_optional_claims"))
    if optional:
        lines.append(f"  You may include these claims in your own words: {'; '.join(optional)}.")
    return lines


def type_block(spec: TypeSpec, product: ProductData, tone: dict[str, str]) -> list[str]:
    lines = [f'"{spec.name}" ({_family_label(spec)}): {spec.task}']
    if spec.character_limit:
        unit = "each bullet point" if spec.is_list else "the text"
        lines.append(f"  At most {spec.character_limit} characters for {unit}.")
    lines += [f"  {line}" for line in _lines("Guidelines", spec.guidelines)]
    lines += [f"  {line}" for line in _lines("Restrictions", spec.restrictions)]
    lines += _keyword_block(spec, product)
    if spec.use_tone and tone:
        lines.append("  Write in the brand's tone; for example:")
        lines += [f'    instead of "{k}", write like: "{v}"' for k, v in tone.items()]
    for target, template in spec.additions.items():
        lines.append(
            f'  The template "{template}" is applied to {target} afterwards: do not write its fixed parts yourself.'
        )
    return lines


ENTITIES_HEADER = "Never contradict these facts (they are checked):"


def entities_block(product: ProductData, spec: GenerationSpec) -> list[str]:
    """``validation_entities`` / ``false_words_entity_map``: the values the texts must not contradict."""
    entity_map = dict(spec.client.get("false_words_entity_map") or {})
    names = list(dict.fromkeys([*(spec.client.get("validation_entities") or []), *entity_map]))
    lines: list[str] = []
    for entity in names:
        if entity.upper() == "PRODUCT_NAME":
            lines.append(f"- the product name is {product.name}")
            continue
        display = entity_map.get(entity, entity.replace("_", " ").title())
        value = product.attribute(display, spec.field_map)
        if value:
            lines.append(f"- the {display.lower()} is {value}")
    return [ENTITIES_HEADER, *lines] if lines else []


def group_entities_block(products: Sequence[ProductData], spec: GenerationSpec) -> list[str]:
    """The facts every product of a variant group shares (a variant's own colour or size is a placeholder)."""
    blocks = [entities_block(p, spec)[1:] for p in products]
    common = [line for line in blocks[0] if all(line in other for other in blocks[1:])]
    return [ENTITIES_HEADER, *common] if common else []


def _family_label(spec: TypeSpec) -> str:
    if spec.is_list:
        return f"an array of {spec.bullet_count} bullet points"
    if spec.family == "title":
        return "a single line"
    return "text"


def feedback_block(examples: Sequence[ContentFeedback], types: Sequence[str]) -> list[str]:
    """The workspace's latest corrections as few-shot examples: what was written, what the editor made of it,
    and why (their comments), limited to the content types being generated."""
    blocks: list[str] = []
    for n, row in enumerate(examples, start=1):
        parts: list[str] = []
        for name in types:
            before = row.initial_pdp_content.get(name)
            after = row.corrected_pdp_content.get(name)
            if after is None or after == before:
                continue
            parts.append(f"  {name} as written: {json.dumps(before, ensure_ascii=False)}")
            parts.append(f"  {name} as corrected: {json.dumps(after, ensure_ascii=False)}")
        comments = [
            f"  editor's comment on {c.get('content_type')}: {c.get('feedback')}"
            for c in row.comment_history
            if isinstance(c, dict) and c.get("content_type") in types and c.get("feedback")
        ]
        if parts or comments:
            blocks.append(f"Correction {n}:")
            blocks += parts + comments
    if not blocks:
        return []
    return ["Editors corrected earlier texts like this; follow their corrections and comments:", *blocks]


def build_prompt(
    products: Sequence[ProductData],
    spec: GenerationSpec,
    *,
    market: str | None,
    channel: str | None,
    language: str | None,
    feedback: Sequence[ContentFeedback] = (),
) -> Prompt:
    """The prompt for one product, or for a variant group (``products[0]`` is the main product)."""
    main = products[0]
    types = spec.content_types
    market = market or main.market
    language = language or main.language
    tone = spec.tone_for(main.brand)
    forbidden = list(spec.client.get("forbidden_words") or [])
    style_types = [t.name for t in types if t.use_style_guide]

    system: list[str] = [
        "You are an expert e-commerce copywriter writing product detail page content.",
        f"Market: {market}. Language: write every text in the language '{language}'."
        + (f" Sales channel: {channel}." if channel else ""),
        "Answer with one JSON object matching the schema: one property per content type.",
        "Use only facts from the product data; never invent specifications, sizes, colours or certifications.",
        "Never mention competitors. Keep verbatim claims and disclaimers exactly as given.",
    ]
    if forbidden:
        system.append(f"Never use these words or phrases: {', '.join(forbidden)}.")
    if spec.word_map:
        pairs = "; ".join(f'"{k}" -> "{v}"' for k, v in spec.word_map.items())
        system.append(f"Preferred wording (replace the left side with the right side): {pairs}.")
    if spec.style_guide and style_types:
        system.append(f"Style guide (applies to {', '.join(style_types)}):")
        system += [f"- {k.replace('_', ' ')}: {v}" for k, v in spec.style_guide.items()]
    system += feedback_block(feedback, [t.name for t in types])

    user: list[str] = ["Product:"]
    user.append(f"- Product name: {main.name}")
    user.append(f"- Brand: {main.brand}")
    user.append(f"- Description: {main.description}")
    for name, value in prompt_attributes(main, spec):
        if value not in (main.name, main.brand):
            user.append(f"- {name}: {value}")
    generic = search_keywords(main, spec)
    if generic:
        user.append(f"- Search keywords: {', '.join(generic)}")
    user += reviews_block(main, spec)
    user += group_entities_block(products, spec)

    fields = variant_fields(spec)

    if len(products) > 1 and fields:
        user.append("")
        user.append(
            "This product comes in variants. Write the texts once for all of them: wherever you mention one of "
            "the fields below, write the placeholder exactly as shown instead of a value."
        )
        for field_name in fields:
            values = ", ".join(v for v in (p.attribute(field_name, spec.field_map) for p in products) if v)
            user.append(f"- {field_name}: placeholder {{{{variant.{field_name}}}}} (values: {values})")

    user.append("")
    user.append("Content types to write:")
    for t in types:
        user += type_block(t, main, tone)
    return Prompt(
        system="\n".join(system),
        user="\n".join(user),
        schema=content_schema(types),
        schema_name="product_content",
    )


def build_shortening_prompt(
    content: dict[str, str | list[str]],
    budgets: dict[str, int],
    types: Sequence[TypeSpec],
    *,
    language: str,
) -> Prompt:
    """Ask for shorter versions of the over-long texts, with each type's ``guidelines_shortener``."""
    system = [
        "You shorten e-commerce product texts. Keep the meaning, the keywords and every verbatim claim and "
        "disclaimer exactly as written; remove filler first. Answer with one JSON object matching the schema.",
        f"Write in the language '{language}'.",
    ]
    user: list[str] = []
    for t in types:
        value = content[t.name]
        if isinstance(value, list):
            limits = [
                f"bullet {i}: at most {budgets.get(f'{t.name}_{i}', t.character_limit or 0)} characters"
                for i in range(1, len(value) + 1)
            ]
            user.append(f'"{t.name}" (keep {len(value)} bullet points; {"; ".join(limits)}):')
            user += [f"- {b}" for b in value]
        else:
            user.append(f'"{t.name}" (at most {budgets.get(t.name, t.character_limit or 0)} characters):')
            user.append(value)
        user += [f"  {line}" for line in _lines("Shortening guidelines", t.guidelines_shortener)]
        user.append("")
    return Prompt(
        system="\n".join(system),
        user="\n".join(user).strip(),
        schema=content_schema(types, bullets={t.name: len(content[t.name]) for t in types if t.is_list}),
        schema_name="shortened_content",
    )
