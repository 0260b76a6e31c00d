"""Submitting the store's AI operations: the caller's permission, what must be configured, the price in credits
(from the document's AI Chips, ``domain.store.ai_billing``) and the queued job, in the caller's transaction.

An operation that runs offline (no AI call) or that will only answer "skipped" costs nothing; one that needs
the text provider and has none is refused with ``provider_required`` before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from domain.accounts.principal import Principal
from domain.ai.ports import ProviderSet
from domain.catalog.models import Brand
from domain.db import UnitOfWork
from domain.errors import InvalidInput, NotFound
from domain.jobs.models import Job
from domain.jobs.registry import JobKind
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService, parse_job_id
from domain.store import ai_billing as chips
from domain.store.ai_ops import jobs, logo
from domain.store.ai_ops.brands import CleanBrandsParams
from domain.store.ai_ops.content import CategoryListParams, StockTextsParams, TopicsParams
from domain.store.ai_ops.models import StoreText
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.requests import (
    ArticleTopicsCommand,
    CleanBrandsCommand,
    GenerateCategoryListCommand,
    NicheCommand,
    SetTextCommand,
)
from domain.store.ai_ops.texts import BY_KEY, STOCK_TEXTS
from domain.store.service import StoreService
from domain.validation import parse_now

STORE_MANAGE = "store.store.manage"
CATEGORIES_MANAGE = "store.categories.manage"
BRANDS_MANAGE = "store.brands.manage"
ARTICLES_MANAGE = "store.articles.manage"


@dataclass(frozen=True)
class Submitted:
    job: Job
    credits: int


class StoreAiOps:
    def __init__(
        self,
        uow: UnitOfWork,
        *,
        plans: Mapping[str, int] | None = None,
        chips_per_credit: int = chips.DEFAULT_CHIPS_PER_CREDIT,
    ) -> None:
        self.uow = uow
        self.session = uow.session
        self.plans = plans
        self.rate = chips_per_credit

    async def _submit(self, principal: Principal, kind: JobKind[Any], params: BaseModel, estimate: int) -> Submitted:
        cost = chips.credits_for_chips(estimate, self.rate)
        job = await JobService(self.uow, plans=self.plans).create(principal, kind=kind, params=params, credits=cost)
        return Submitted(job, cost)

    async def _settings(self, workspace_id: str) -> dict[str, Any]:
        return await StoreService(self.session).all_settings_unchecked(workspace_id)

    async def generate_category_list(
        self, principal: Principal, command: GenerateCategoryListCommand, providers: ProviderSet
    ) -> Submitted:
        principal.require(CATEGORIES_MANAGE)
        providers.require_text("Generating a category list")
        assert command.niche is not None
        params = CategoryListParams(
            niche=command.niche, categories=command.categories, subcategories=command.subcategories
        )
        return await self._submit(principal, jobs.CATEGORY_LIST, params, chips.CATEGORY_LIST_CHIPS)

    async def clean_brands(
        self, principal: Principal, command: CleanBrandsCommand, providers: ProviderSet
    ) -> Submitted:
        principal.require(BRANDS_MANAGE)
        count = await self.session.scalar(
            select(func.count()).select_from(Brand).where(Brand.workspace_id == principal.workspace_id)
        )
        estimate = chips.brand_clean_chips(int(count or 0)) if count and not providers.offline else 0
        params = CleanBrandsParams(niche=command.niche, keep_top=command.keep_top)
        return await self._submit(principal, jobs.CLEAN_BRANDS, params, estimate)

    async def regenerate_stock_texts(self, principal: Principal, providers: ProviderSet) -> Submitted:
        principal.require(STORE_MANAGE)
        providers.require_text("Regenerating the stock texts")
        stored = await AiOpsRepository(self.session).texts(principal.workspace_id)
        pending = sum(1 for t in STOCK_TEXTS if t.key not in stored or stored[t.key].value == t.default)
        return await self._submit(principal, jobs.STOCK_TEXTS, StockTextsParams(), chips.stock_text_chips(pending))

    async def pick_logo_icon(self, principal: Principal, command: NicheCommand, providers: ProviderSet) -> Submitted:
        principal.require(STORE_MANAGE)
        assert command.niche is not None
        skipped = logo.icon_skip(await self._settings(principal.workspace_id))
        estimate = 0 if skipped or providers.offline else chips.LOGO_ICON_CHIPS
        return await self._submit(principal, jobs.PICK_LOGO_ICON, logo.NicheParams(niche=command.niche), estimate)

    async def generate_logo(self, principal: Principal, command: NicheCommand, providers: ProviderSet) -> Submitted:
        principal.require(STORE_MANAGE)
        assert command.niche is not None
        skipped = logo.logo_skip(await self._settings(principal.workspace_id))
        estimate = 0 if skipped or providers.offline else chips.LOGO_CHIPS
        return await self._submit(principal, jobs.GENERATE_LOGO, logo.NicheParams(niche=command.niche), estimate)

    async def generate_article_topics(
        self, principal: Principal, command: ArticleTopicsCommand, providers: ProviderSet
    ) -> Submitted:
        principal.require(ARTICLES_MANAGE)
        providers.require_text("Suggesting article topics")
        estimate = chips.article_topics_chips(command.wanted)
        return await self._submit(principal, jobs.ARTICLE_TOPICS, TopicsParams(count=command.wanted), estimate)


async def store_ai_job(session: Any, principal: Principal, job_id: str) -> Job:
    """A job of one of these operations in the caller's workspace (any other job: ``NotFound``)."""
    principal.require("jobs.jobs.read")
    job = await JobsRepository(session).get(parse_job_id(job_id), workspace_id=principal.workspace_id)
    if job is None or job.kind not in jobs.STORE_AI_OPS_KIND_NAMES:
        raise NotFound("Job not found.")
    return job


@dataclass(frozen=True)
class TextRow:
    key: str
    value: str
    default: str
    customised: bool  # no longer the default: regenerate-stock-texts leaves it
    source: str | None  # "customer", "ai", or None for the default


class StoreTexts:
    """The template's stock text rows: read them all, set one (the customer's edit), reset one to its default."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.repo = AiOpsRepository(session)

    async def rows(self, principal: Principal) -> list[TextRow]:
        principal.require("store.store.read")
        stored = await self.repo.texts(principal.workspace_id)
        return [_row(text.key, stored.get(text.key)) for text in STOCK_TEXTS]

    async def set(self, principal: Principal, key: str, value: str) -> TextRow:
        principal.require(STORE_MANAGE)
        command = parse_now(SetTextCommand, {"key": key, "value": value})
        text = BY_KEY[command.key]
        assert command.value is not None  # REQUIRED
        if len(command.value) > text.max_length:
            raise InvalidInput.field("value", f"Must be at most {text.max_length} characters for {text.key}.")
        row = await self.repo.set_text(principal.workspace_id, text.key, command.value, "customer")
        return _row(text.key, row)

    async def reset(self, principal: Principal, key: str) -> TextRow:
        principal.require(STORE_MANAGE)
        command = parse_now(SetTextCommand, {"key": key, "value": "-"})
        await self.repo.reset_text(principal.workspace_id, command.key)
        return _row(command.key, None)


def _row(key: str, stored: StoreText | None) -> TextRow:
    default = BY_KEY[key].default
    value = stored.value if stored is not None else default
    return TextRow(key, value, default, value != default, stored.source if stored is not None else None)
