"""Cleaning the store's brands: variants of one name merged (their products reassigned), broken "Brand: Foo,
Inc." titles fixed, then every brand classified and the verdict applied."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from domain.catalog.models import Brand
from domain.jobs.registry import JobContext
from domain.store.ai_ops.ask import ask, providers_of
from domain.store.ai_ops.repository import AiOpsRepository

ENABLE, DELETE, DISABLE = "enable", "delete", "disable"
VERDICTS = (ENABLE, DELETE, DISABLE)

_PREFIX = re.compile(r"^\s*(?:brand|by|visit the)\s*[:\-]?\s+", re.IGNORECASE)
_STORE_SUFFIX = re.compile(r"\s+store\s*$", re.IGNORECASE)  # Amazon's "Visit the Acme Store"
_LEGAL = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "ag",
    "sa",
    "sas",
    "bv",
    "srl",
    "oy",
    "ab",
    "kg",
    "pty",
    "lp",
}
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_VOWELS = set("aeiouy")


class CleanBrandsParams(BaseModel):
    niche: str | None = None
    keep_top: int | None = None


def clean_title(title: str) -> str:
    """The brand's name without a "Brand:" prefix, Amazon's "Visit the ... Store" or a trailing legal form
    after a comma ("Foo, Inc." -> "Foo")."""
    text = " ".join(title.split())
    text = _STORE_SUFFIX.sub("", _PREFIX.sub("", text)) if _PREFIX.match(text) else text
    head, sep, tail = text.partition(",")
    if sep and all(w.lower().strip(".") in _LEGAL for w in tail.split()):
        text = head
    return text.strip(" ,.-") or title.strip()


def brand_key(title: str) -> str:
    """What variants of one brand share: the words of its clean name, case-folded, without legal forms."""
    words = [w.casefold() for w in _WORDS.findall(clean_title(title))]
    kept = [w for w in words if w not in _LEGAL]
    return " ".join(kept or words)


def display_title(titles: list[str]) -> str:
    """The best spelling among a group's clean names: one in mixed case, shortest first ("Acme" over "ACME" and
    "Acme Inc."); when all are in one case, the first, title-cased unless it is a short acronym ("JBL")."""
    cleaned = [clean_title(t) for t in titles]
    mixed = [t for t in cleaned if t != t.upper() and t != t.lower()]
    if mixed:
        return min(mixed, key=lambda t: (len(t), t))
    first = min(cleaned, key=lambda t: (len(t), t))
    if first.isupper() and len(first.replace(" ", "")) <= 4:
        return first
    return " ".join(w[:1].upper() + w[1:].lower() for w in first.split(" "))


def looks_random(title: str) -> bool:
    """A name that reads as a marketplace seller's random letters ("XJDKWQ", "QWZX-3K9"), not a word."""
    letters = "".join(ch for ch in title.lower() if ch.isalpha())
    if len(letters) < 4:
        return False
    vowels = sum(ch in _VOWELS for ch in letters)
    return vowels == 0 or vowels / len(letters) < 0.15 or bool(re.search(r"[^aeiouy\W\d_]{5,}", title.lower()))


@dataclass
class Group:
    survivor: Brand
    others: list[Brand] = field(default_factory=list)
    products: int = 0


def group_brands(brands: list[Brand], counts: dict[int, int]) -> list[Group]:
    """Brands grouped by ``brand_key``; each group's survivor is the brand with the most products (the oldest
    on a tie), so the links that already point at it stay good."""
    by_key: dict[str, list[Brand]] = {}
    for brand in brands:
        by_key.setdefault(brand_key(brand.title) or f"#{brand.id}", []).append(brand)
    groups = []
    for members in by_key.values():
        ordered = sorted(members, key=lambda b: (-counts.get(b.id, 0), b.id))
        groups.append(Group(ordered[0], ordered[1:], sum(counts.get(b.id, 0) for b in members)))
    return groups


def offline_verdict(group: Group) -> str:
    """Without a model the niche cannot be judged: a brand without products or a random-letters name with at
    most one product goes; the rest are enabled."""
    if group.products == 0 or (looks_random(group.survivor.title) and group.products <= 1):
        return DELETE
    return ENABLE


VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdicts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "verdict": {"type": "string", "enum": list(VERDICTS)}},
                "required": ["id", "verdict"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["verdicts"],
    "additionalProperties": False,
}


async def ai_verdicts(ctx: JobContext[CleanBrandsParams], groups: list[Group]) -> dict[int, str]:
    provider = providers_of(ctx).text
    assert provider is not None
    niche = ctx.params.niche
    lines = "\n".join(
        f"{g.survivor.id}: {display_title([g.survivor.title, *(b.title for b in g.others)])} "
        f"({g.products} product{'' if g.products == 1 else 's'})"
        for g in groups
    )
    answer = await ask(
        ctx,
        provider,
        system=(
            "You review the brands of an online store. For each brand answer one verdict: 'enable' for a real "
            "brand that fits the store's niche, 'delete' for gibberish names, marketplace sellers' random "
            "letters and single-product OEM labels, 'disable' when unsure. "
            + ("Fit with the niche comes first: a famous brand from another category is not enabled." if niche else "")
        ),
        user=(f"Store niche: {niche}\n" if niche else "") + f"Brands (id: name (products)):\n{lines}",
        schema=VERDICT_SCHEMA,
        schema_name="brand_verdicts",
        temperature=0.1,
    )
    known = {g.survivor.id for g in groups}
    out: dict[int, str] = {}
    for item in answer.get("verdicts") or []:
        if isinstance(item, dict) and item.get("id") in known and item.get("verdict") in VERDICTS:
            out[int(item["id"])] = str(item["verdict"])
    return out


async def clean_brands(ctx: JobContext[CleanBrandsParams]) -> dict[str, Any]:
    await ctx.progress(0.1, "Reading the store's brands.")
    async with ctx.unit_of_work() as uow:
        repo = AiOpsRepository(uow.session)
        brands = await repo.brands_for_update(ctx.workspace_id)
        groups = group_brands(brands, await repo.brand_product_counts(ctx.workspace_id))
    online = providers_of(ctx).text is not None
    verdicts: dict[int, str] = {}
    if online and groups:
        await ctx.progress(0.3, f"Classifying {len(groups)} brands.")
        verdicts = await ai_verdicts(ctx, groups)
    await ctx.progress(0.8, "Applying the verdicts.")
    async with ctx.unit_of_work() as uow:
        return await _apply(AiOpsRepository(uow.session), ctx.workspace_id, ctx.params, verdicts, online)


async def _apply(
    repo: AiOpsRepository, workspace_id: str, params: CleanBrandsParams, verdicts: dict[int, str], online: bool
) -> dict[str, Any]:
    """Everything in one transaction, from a fresh read (brands may have changed during the model's call)."""
    brands = await repo.brands_for_update(workspace_id)
    groups = group_brands(brands, await repo.brand_product_counts(workspace_id))
    merged = title_fixes = deleted = kept_disabled = capped = 0
    approved: list[Group] = []
    for group in groups:
        if group.others:
            await repo.move_products(workspace_id, [b.id for b in group.others], group.survivor.id)
            for other in group.others:
                await repo.delete(other)
            merged += len(group.others)
        title = display_title([group.survivor.title, *(b.title for b in group.others)])
        if title != group.survivor.title:
            group.survivor.title = title
            title_fixes += 1
        verdict = verdicts.get(group.survivor.id, DISABLE) if online else offline_verdict(group)
        if verdict == DELETE:
            await repo.move_products(workspace_id, [group.survivor.id], None)
            await repo.delete(group.survivor)
            deleted += 1
        elif verdict == ENABLE:
            approved.append(group)
        else:
            group.survivor.enabled = False
            kept_disabled += 1
    approved.sort(key=lambda g: (-g.products, g.survivor.id))
    limit = params.keep_top if params.keep_top is not None else len(approved)
    for rank, group in enumerate(approved):
        group.survivor.enabled = rank < limit
        if rank >= limit:
            capped += 1
    return {
        "classified": len(groups),
        "enabled": min(limit, len(approved)),
        "capped": capped,
        "deleted": deleted,
        "kept_disabled": kept_disabled,
        "title_fixes": title_fixes,
        "merged": merged,
    }
