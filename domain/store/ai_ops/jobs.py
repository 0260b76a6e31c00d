"""The job kinds of the store's AI operations (registered in ``shopwright/runtime.py``)."""

from __future__ import annotations

from typing import Any

from domain.jobs.registry import JobKind
from domain.store.ai_ops import brands, content, logo

CATEGORY_LIST = JobKind(
    name="store.categories.generate_list",
    params=content.CategoryListParams,
    handler=content.generate_category_list,
    description="Proposes a category tree (main categories and their subcategories) for the store's niche.",
)
CLEAN_BRANDS = JobKind(
    name="store.brands.clean",
    params=brands.CleanBrandsParams,
    handler=brands.clean_brands,
    description="Merges variants of a brand (reassigning products), fixes titles, classifies and applies verdicts.",
)
STOCK_TEXTS = JobKind(
    name="store.texts.regenerate",
    params=content.StockTextsParams,
    handler=content.regenerate_stock_texts,
    description="Rewrites the template text rows that still hold their default, one AI call per row.",
)
PICK_LOGO_ICON = JobKind(
    name="store.logo.pick_icon",
    params=logo.NicheParams,
    handler=logo.pick_icon,
    description="Picks the template's logo icon for the niche from the catalogue of Material icons.",
)
GENERATE_LOGO = JobKind(
    name="store.logo.generate",
    params=logo.NicheParams,
    handler=logo.generate_logo,
    description="Draws a wordmark of the store's name and attaches it to the template's logo slot.",
)
ARTICLE_TOPICS = JobKind(
    name="store.articles.generate_topics",
    params=content.TopicsParams,
    handler=content.generate_topics,
    description="Suggests article topics for the store's niche, one AI call per topic.",
)
STORE_AI_OPS_KINDS: tuple[JobKind[Any], ...] = (
    CATEGORY_LIST,
    CLEAN_BRANDS,
    STOCK_TEXTS,
    PICK_LOGO_ICON,
    GENERATE_LOGO,
    ARTICLE_TOPICS,
)
STORE_AI_OPS_KIND_NAMES = frozenset(kind.name for kind in STORE_AI_OPS_KINDS)
