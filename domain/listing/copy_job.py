"""The ``listing.copy`` job: one catalog product's listing copy for a platform, written by the content-generation
pipeline (``domain.content.pipeline.generate_group``) under a platform "channel config".

The channel config is an ordinary content configuration: one content type per text component (``title``,
``bullets``, ``description``, and with a provider ``keywords``) with the platform's limits and guidance, the
platform's forbidden promotional phrases, the tone and the buyer persona as the style guide, and the request's
seed keywords as a ``must`` keyword group. So the provider's structured call (or the offline composer), the
shortening pass and every guardrail (limits, forbidden words, missing keywords, warnings) are the pipeline's
own. What the platform adds on top is done here, after the guardrails: exactly N bullets, an HTML description
for the shop platforms (built from the guarded text, so no cut ever breaks a tag) and the search keywords'
platform limits.
"""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.ai.ports import ProviderSet
from domain.ai.service import record_usage, resolve_model
from domain.catalog.loads import CatalogLoads
from domain.content.analysis.textkit import keyphrases
from domain.content.guardrails import ContentWarning
from domain.content.pipeline import RunOptions, generate_group
from domain.content.products import ProductData, from_catalog, text_of
from domain.content.prompt import search_keywords
from domain.content.spec import build_spec
from domain.content.textops import contains_phrase
from domain.errors import NotFound
from domain.jobs.registry import JobContext

if TYPE_CHECKING:
    from domain.listing.jobs import CopyJobParams

SEED_GROUP = "seed_keywords"
HIGHLIGHTS_GROUP = "highlights"
BULLET_COUNT = "BULLET_COUNT"
KEYWORD_LIMIT = "KEYWORD_LIMIT"
DEFAULT_LANGUAGE = "en"
MAX_KEYWORD_CHARS = 100

TONES: dict[str, str] = {
    "professional": "professional: clear, factual and confident; no slang, no exclamation marks",
    "casual": "casual: friendly and conversational, short sentences, speaks to the buyer as 'you'",
    "luxury": "luxury: refined and understated, sensory detail, no hard-sell phrases",
}

# Promotional claims marketplaces refuse in listing text (Amazon's and Etsy's listing policies name these).
PROMOTIONAL = ("best seller", "bestseller", "free shipping", "money back guarantee", "100% guaranteed", "#1")


@dataclass(frozen=True)
class CopyRules:
    title_limit: int
    bullets: int
    bullet_limit: int
    description_limit: int
    html: bool
    keywords: int  # how many search keywords at most
    keyword_chars: int = MAX_KEYWORD_CHARS  # per keyword (Etsy tags: 20)
    keyword_bytes: int | None = None  # all of them joined by spaces (Amazon's search terms: under 250 bytes)
    forbidden: tuple[str, ...] = PROMOTIONAL
    guidance: str = ""


_SHOP = (
    "Write for the shop's own product page: the description is read on the page and by search engines; "
    "write it as short paragraphs of plain sentences (it is laid out as HTML afterwards)."
)
PLATFORM_RULES: dict[str, CopyRules] = {
    "amazon": CopyRules(
        200,
        5,
        250,
        2000,
        html=False,
        keywords=30,
        keyword_bytes=249,
        forbidden=(*PROMOTIONAL, "sale", "discount", "cheapest", "top rated"),
        guidance="Amazon (A9/A10 search): the title starts with the brand and the product type, then the key "
        "attributes; each bullet starts with a short capitalised benefit; no prices, promotions or seller claims.",
    ),
    "flipkart": CopyRules(
        150,
        5,
        200,
        2000,
        html=False,
        keywords=15,
        guidance="Flipkart search: the title names brand, product type, model and the key variant (colour, size); "
        "the bullets are the key features a buyer compares.",
    ),
    "shopify": CopyRules(150, 5, 200, 2000, html=True, keywords=15, guidance=_SHOP),
    "woocommerce": CopyRules(150, 5, 200, 2000, html=True, keywords=15, guidance=_SHOP),
    "bigcommerce": CopyRules(150, 5, 200, 2000, html=True, keywords=15, guidance=_SHOP),
    "etsy": CopyRules(
        140,
        5,
        200,
        2000,
        html=True,
        keywords=13,
        keyword_chars=20,
        guidance="Etsy: the title leads with what the item is in the words a shopper searches; the description "
        "tells how it is made and used. " + _SHOP,
    ),
    "general": CopyRules(150, 5, 250, 1000, html=False, keywords=15, guidance="Platform-agnostic listing copy."),
}


def _warning(content_type: str, code: str, description: str) -> dict[str, str]:
    return ContentWarning(content_type, code, description).as_dict()


def channel_config(rules: CopyRules, params: CopyJobParams, *, with_keywords: bool) -> tuple[list[str], dict[str, Any]]:
    """The pipeline's content types for the requested components, and the platform's content configuration."""
    texts = [c for c in params.components if c != "keywords"]
    if with_keywords and "keywords" in params.components:
        texts.append("keywords")
    # The seed keywords must be in the longest text asked for; the title, when something longer holds them,
    # only should (200 characters cannot hold every seed keyword).
    holder = next((c for c in ("description", "bullets", "title") if c in texts), None)
    types: dict[str, Any] = {}
    for name in texts:
        seeds = {"must" if name == holder else "should": [SEED_GROUP]} if params.seed_keywords else {}
        if name == "title":
            types[name] = {
                "task": "Write the product's listing title: brand, product name and the most important attributes.",
                "character_limit": rules.title_limit,
                "keyword_groups": seeds,
            }
        elif name == "bullets":
            types[name] = {
                "task": f"Write exactly {rules.bullets} bullet points with the product's key benefits and features.",
                "character_limit": rules.bullet_limit,
                "keyword_groups": seeds,
            }
        elif name == "description":
            types[name] = {
                "task": "Write the product description: what it is, what it does for the buyer, the details "
                "that matter, in short paragraphs separated by blank lines.",
                "character_limit": rules.description_limit,
                "keyword_groups": seeds,
            }
        else:
            types[name] = {
                "task": f"Write 12 search keywords: short phrases (1 to 3 words, at most {rules.keyword_chars} "
                "characters each) that shoppers type to find this product; no brand names of others.",
                "character_limit": rules.keyword_chars,
            }
    families = {"title": "title", "bullets": "bullets", "description": "string", "keywords": "bullets"}
    style_guide: dict[str, str] = {}
    if params.tone:
        style_guide["tone"] = TONES[params.tone]
    if params.target_audience:
        style_guide["target audience"] = params.target_audience
    config: dict[str, Any] = {
        "content_types": types,
        "keyword_groups": {"non_verbatim_optional_claims": [HIGHLIGHTS_GROUP]},
        "guidelines": [rules.guidance] if rules.guidance else [],
        "style_guide": style_guide,
        "client": {
            "content_type_family_map": {name: families[name] for name in texts},
            "forbidden_words": list(rules.forbidden),
        },
    }
    return texts, config


def html_description(text: str, items: list[str]) -> str:
    """The guarded description as HTML: a ``<p>`` per paragraph (blank-line separated, else three sentences a
    paragraph) and the key points as ``<ul><li>``; every text escaped."""
    blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    if len(blocks) <= 1:
        sentences = [s for s in _sentences(text) if s]
        blocks = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    out = [f"<p>{html.escape(b, quote=False)}</p>" for b in blocks]
    if items:
        out.append("<ul>" + "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in items) + "</ul>")
    return "".join(out)


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for word in text.split():
        current.append(word)
        if word[-1:] in ".!?":
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def fit_keywords(candidates: list[str], seeds: list[str], rules: CopyRules) -> tuple[list[str], list[dict[str, str]]]:
    """Seed keywords first, then the rest, each once (any case), within the platform's limits; a seed keyword
    that does not fit is a warning, never a silent drop."""
    out: list[str] = []
    seen: set[str] = set()
    warnings: list[dict[str, str]] = []
    used_bytes = -1
    for keyword in [*seeds, *candidates]:
        word = " ".join(keyword.split()).strip(" ,.;")
        key = word.casefold()
        if not word or key in seen:
            continue
        seen.add(key)
        problem = None
        if any(contains_phrase(word, f) for f in rules.forbidden):
            problem = "is a promotional phrase the platform refuses"
        elif len(word) > rules.keyword_chars:
            problem = f"is longer than {rules.keyword_chars} characters"
        elif len(out) >= rules.keywords:
            problem = f"is past the {rules.keywords} keywords the platform takes"
        elif rules.keyword_bytes is not None and used_bytes + 1 + len(word.encode()) > rules.keyword_bytes:
            problem = f"does not fit in the {rules.keyword_bytes} bytes of search terms"
        if problem is None:
            out.append(word)
            used_bytes += 1 + len(word.encode())
        elif keyword in seeds:
            warnings.append(_warning("keywords", KEYWORD_LIMIT, f"seed keyword '{word}' {problem}"))
    return out, warnings


async def _load(ctx: JobContext[CopyJobParams]) -> tuple[ProductData, list[str]]:
    """The product as the pipeline reads it (its category as an attribute, its highlights as optional claims,
    the seed keywords as a keyword group), and its highlights."""
    params = ctx.params
    async with ctx.unit_of_work() as uow:
        catalog = CatalogLoads(uow.session)
        row = await catalog.get_product(ctx.workspace_id, params.product_id)
        if row is None:
            raise NotFound(f"Product prod_{params.product_id} is no longer in the catalog.")
        brand = None
        if row.brand_id is not None:
            brand = (await catalog.brands(ctx.workspace_id, [row.brand_id])).get(row.brand_id)
        categories = (await catalog.categories_for_products(ctx.workspace_id, [row.id])).get(row.id, [])
        product = from_catalog(row, brand.title if brand else None, market="", language=DEFAULT_LANGUAGE)
        highlights = [text_of(h.get("text") if isinstance(h, dict) else h) for h in row.highlights or []]
    highlights = [h for h in highlights if h]
    product.product_id = f"prod_{params.product_id}"
    if categories and not product.attribute("category"):
        product.attributes.append({"name": "category", "value": categories[0].title})
    if highlights:  # the merchant's own selling points: claims the writer may use in its own words
        product.keywords[HIGHLIGHTS_GROUP] = highlights
    if params.seed_keywords:
        product.keywords[SEED_GROUP] = list(params.seed_keywords)
    return product, highlights


def _offline_keywords(product: ProductData) -> list[str]:
    """The product's own keywords, then YAKE's keyphrases (two words or more) of its title and description
    (CPU-bound: run in a thread)."""
    highlights = {h.lower() for h in product.keywords.get(HIGHLIGHTS_GROUP, [])}  # claims, not search words
    found = [k for k in search_keywords(product) if k.lower() not in highlights]
    text = f"{product.name}. {product.description}"
    phrases = keyphrases(text, product.language or DEFAULT_LANGUAGE, top=30, max_words=3)
    # Single words ("tea", "green") are too broad to help a shopper find this product: phrases only.
    found += [phrase.lower() for phrase, _ in phrases if len(phrase.split()) >= 2]
    return found


async def run(ctx: JobContext[CopyJobParams]) -> dict[str, Any]:
    """The ``listing.copy`` job handler."""
    params = ctx.params
    rules = PLATFORM_RULES[params.platform]
    providers = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    provider = providers.text

    await ctx.progress(0.05, f"Loading product prod_{params.product_id}.", {"step": "loading"})
    product, highlights = await _load(ctx)
    texts, config = channel_config(rules, params, with_keywords=provider is not None)
    spec = build_spec(texts, config)
    model = resolve_model(None, providers.model, pinned=providers.model_pinned) if provider is not None else "offline"
    options = RunOptions(
        market=product.market or None, channel=params.platform, language=product.language, feedback=(), model=model
    )
    how = f"with {model}" if provider is not None else "offline"
    await ctx.progress(
        0.2, f"Writing {', '.join(params.components)} for {params.platform} ({how}).", {"step": "writing"}
    )
    entries, usage, used_model = await generate_group([product], spec, config, provider, options)
    if usage.total_tokens:
        async with ctx.unit_of_work() as uow:
            await record_usage(uow, ctx.workspace_id, ctx.job_id, used_model, usage)
    entry = entries[product.product_id]
    content: dict[str, Any] = entry["content"]
    warnings: list[dict[str, str]] = list(entry["warnings"])

    await ctx.progress(0.8, f"Applying {params.platform}'s listing rules.", {"step": "checking"})
    result: dict[str, Any] = {"platform": params.platform}
    bullets = [b for b in content.get("bullets", []) if b][: rules.bullets]
    if "title" in params.components:
        result["title"] = content.get("title", "")
    if "bullets" in params.components:
        if len(bullets) < rules.bullets:
            warnings.append(
                _warning(
                    "bullets",
                    BULLET_COUNT,
                    f"{params.platform} wants {rules.bullets} bullet points; only {len(bullets)} could be written "
                    "from the product's data",
                )
            )
        result["bullets"] = bullets
    if "description" in params.components:
        text = str(content.get("description", ""))
        result["description"] = html_description(text, bullets or highlights) if rules.html else text
    if "keywords" in params.components:
        written = [str(k) for k in content.get("keywords", [])] if provider is not None else []
        candidates = written + await asyncio.to_thread(_offline_keywords, product)
        keywords, more = fit_keywords(candidates, list(params.seed_keywords), rules)
        result["keywords"] = keywords
        warnings += more
    result["warnings"] = [f"{w['code']} ({w['content_type']}): {w['description']}" for w in warnings]
    return result
