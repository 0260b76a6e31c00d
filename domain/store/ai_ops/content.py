"""The text operations: a category tree for a niche, the template's stock texts, article topic suggestions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from domain.ai.ports import ProviderError
from domain.jobs.registry import JobContext
from domain.store.ai_ops.ask import ask, providers_of, string_schema
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.texts import STOCK_TEXTS, StockText
from domain.store.service import StoreService

TITLE_MAX = 255

# --- generate a category list -------------------------------------------------------------------------


class CategoryListParams(BaseModel):
    niche: str
    categories: int
    subcategories: int


def subcategory_bounds(most: int) -> tuple[int, int]:
    """Every main category comes back with 3 to 5 subcategories (the document), within what the caller allows:
    ``max_subcategories`` 0 asks for none, 2 for at most two, 10 for up to ten."""
    return min(3, most), most


def category_list_schema(categories: int, subcategories: int) -> dict[str, Any]:
    low, high = subcategory_bounds(subcategories)
    return {
        "type": "object",
        "properties": {
            "categories": {
                "type": "array",
                "minItems": 1,
                "maxItems": categories,
                "items": {
                    "type": "object",
                    "properties": {
                        "title": string_schema(100),
                        "subcategories": {
                            "type": "array",
                            "minItems": low,
                            "maxItems": high,
                            "items": string_schema(100),
                        },
                    },
                    "required": ["title", "subcategories"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["categories"],
        "additionalProperties": False,
    }


def _distinct(values: Any, limit: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values if isinstance(values, list) else []:
        text = " ".join(str(value).split())[:TITLE_MAX] if isinstance(value, str) else ""
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out[:limit]


def usable_tree(answer: dict[str, Any], categories: int, subcategories: int) -> list[dict[str, Any]]:
    """The answer's categories, cleaned: distinct titles, at most ``categories``; a category with fewer
    subcategories than the floor is left out rather than shown half-planned."""
    low, high = subcategory_bounds(subcategories)
    tree: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in answer.get("categories") or []:
        if not isinstance(item, dict):
            continue
        title = _distinct([item.get("title")], 1)
        subs = _distinct(item.get("subcategories"), high)
        if not title or title[0].casefold() in seen or len(subs) < low:
            continue
        seen.add(title[0].casefold())
        tree.append({"title": title[0], "subcategories": subs})
    return tree[:categories]


async def generate_category_list(ctx: JobContext[CategoryListParams]) -> dict[str, Any]:
    p = ctx.params
    provider = providers_of(ctx).require_text("Generating a category list")
    await ctx.progress(0.1, f"Planning up to {p.categories} categories for {p.niche!r}.")
    low, high = subcategory_bounds(p.subcategories)
    subs = f"each with {low} to {high} subcategories" if high else "without subcategories"
    answer = await ask(
        ctx,
        provider,
        system=(
            "You plan the category tree of an online store. Categories are what a shopper browses by: short "
            "(1 to 4 words), distinct, specific to the niche, in title case. Answer in English."
        ),
        user=f"Store niche: {p.niche}\nPropose at most {p.categories} main categories, {subs}.",
        schema=category_list_schema(p.categories, p.subcategories),
        schema_name="category_tree",
    )
    tree = usable_tree(answer, p.categories, p.subcategories)
    if not tree:
        raise ProviderError("The AI answered no usable category (each needs a title and its subcategories).")
    return {"niche": p.niche, "categories": tree}


# --- regenerate stock texts ---------------------------------------------------------------------------


class StockTextsParams(BaseModel):
    """No input: the niche and name come from the store's settings when the job runs."""


def stock_text_prompt(text: StockText, store_name: str | None, niche: str | None) -> str:
    about = f"Store: {store_name or 'an online store'}\n" + (f"Niche: {niche}\n" if niche else "")
    return (
        f"{about}Write {text.purpose} (at most {text.max_length} characters). It replaces this generic "
        f'default: "{text.default}". Be specific to the store, warm and plain; no made-up facts, prices or '
        "names of people."
    )


async def regenerate_stock_texts(ctx: JobContext[StockTextsParams]) -> dict[str, Any]:
    """One AI call per row still holding its default; each rewrite is saved as it arrives (a re-run continues
    where a failed one stopped, and a row the customer edits meanwhile is not overwritten)."""
    provider = providers_of(ctx).require_text("Regenerating the stock texts")
    async with ctx.unit_of_work() as uow:
        settings = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        stored = await AiOpsRepository(uow.session).texts(ctx.workspace_id)
    pending = [t for t in STOCK_TEXTS if t.key not in stored or stored[t.key].value == t.default]
    customised = len(STOCK_TEXTS) - len(pending)
    rewritten: list[str] = []
    for index, text in enumerate(pending):
        await ctx.progress(0.05 + 0.9 * index / max(len(pending), 1), f"Writing {text.key}.", {"key": text.key})
        answer = await ask(
            ctx,
            provider,
            system="You write the short texts of an online store's template. Answer in English.",
            user=stock_text_prompt(text, settings.get("store_name"), settings.get("store_niche")),
            schema={
                "type": "object",
                "properties": {"text": string_schema(text.max_length)},
                "required": ["text"],
                "additionalProperties": False,
            },
            schema_name="store_text",
        )
        value = " ".join(str(answer.get("text") or "").split())[: text.max_length]
        if not value:
            continue
        async with ctx.unit_of_work() as uow:
            repo = AiOpsRepository(uow.session)
            current = (await repo.texts(ctx.workspace_id)).get(text.key)
            if current is not None and current.value != text.default:
                customised += 1  # edited while the job ran: the customer's text stays
                continue
            await repo.set_text(ctx.workspace_id, text.key, value, "ai")
        rewritten.append(text.key)
    return {"rewritten": len(rewritten), "skipped_customised": customised, "keys": rewritten}


# --- article topics -----------------------------------------------------------------------------------


class TopicsParams(BaseModel):
    count: int


async def generate_topics(ctx: JobContext[TopicsParams]) -> dict[str, Any]:
    """One AI call per topic (the document bills each); a duplicate or empty answer is dropped, so fewer may
    come back than were asked for."""
    provider = providers_of(ctx).require_text("Suggesting article topics")
    async with ctx.unit_of_work() as uow:
        settings = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        existing = await AiOpsRepository(uow.session).article_titles(ctx.workspace_id)
    subject = settings.get("store_niche") or settings.get("store_name") or "an online store"
    topics: list[str] = []
    for index in range(ctx.params.count):
        await ctx.progress(0.05 + 0.9 * index / ctx.params.count, f"Suggesting topic {index + 1}.")
        avoid = [*existing[:30], *topics]
        answer = await ask(
            ctx,
            provider,
            system=(
                "You suggest blog article topics for an online store: useful to its shoppers (guides, care, "
                "comparisons, how-tos), specific to its niche, as a headline of at most 120 characters."
            ),
            user=f"Store niche: {subject}\n"
            + ("Already written or suggested (do not repeat):\n" + "\n".join(f"- {t}" for t in avoid) if avoid else ""),
            schema={
                "type": "object",
                "properties": {"topic": string_schema(TITLE_MAX)},
                "required": ["topic"],
                "additionalProperties": False,
            },
            schema_name="article_topic",
            temperature=0.9,
        )
        topic = " ".join(str(answer.get("topic") or "").split())[:TITLE_MAX]
        if topic and topic.casefold() not in {t.casefold() for t in topics}:
            topics.append(topic)
    return {"topics": topics, "requested": ctx.params.count, "returned": len(topics)}
