"""The store's AI operations in GraphQL: each mutation queues the operation's job (the REST surface's command
and rules; problems as ``userErrors``, nothing queued) and answers it with what it costs; follow it with
``jobProgress``, its ``result`` is the REST answer's ``data``. Also the template's stock texts (read, set,
reset), the generated logo, and filling an article's empty images."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.media.service import MediaService
from domain.store.ai_ops.models import StoreLogo as StoreLogoRow
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.requests import (
    ArticleTopicsCommand,
    CleanBrandsCommand,
    GenerateCategoryListCommand,
    NicheCommand,
)
from domain.store.ai_ops.service import StoreAiOps, StoreTexts, Submitted, TextRow
from domain.store.articles import ArticleService
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation
from schema.jobs import Job
from schema.listing_types import media_url
from schema.types import Info

Submit = Callable[[StoreAiOps, Principal], Awaitable[Submitted]]


@strawberry.type
class StoreOperationPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")
    credits_charged: int | None = strawberry.field(
        default=None, description="Debited now; refunded if the job fails or is cancelled."
    )


@strawberry.type(description="A template text row that regenerateStockTexts rewrites while it holds its default.")
class StoreText:
    key: str
    value: str
    default: str
    customised: bool
    source: str | None = strawberry.field(description="customer, ai, or null for the default.")

    @classmethod
    def of(cls, row: TextRow) -> StoreText:
        return cls(key=row.key, value=row.value, default=row.default, customised=row.customised, source=row.source)


@strawberry.type
class StoreTextPayload(Payload):
    text: StoreText | None = None


@strawberry.type(description="The wordmark generateLogo drew.")
class StoreLogo:
    url: str = strawberry.field(description="A freshly signed link to the PNG; it expires (ask again).")
    niche: str
    style: JSON
    width: int | None
    height: int | None
    created_at: datetime


@strawberry.type
class FillArticleImagesPayload(Payload):
    filled: list[str] | None = None


async def _submit(info: Info, submit: Submit) -> StoreOperationPayload:
    services = info.context.services

    def run(uow: UnitOfWork, principal: Principal) -> Awaitable[Submitted]:
        ops = StoreAiOps(uow, plans=services.plans, chips_per_credit=services.chips_per_credit)
        return submit(ops, principal)

    submitted = await info.context.write(run)
    return StoreOperationPayload(job=Job.from_model(submitted.job), credits_charged=submitted.credits)


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@strawberry.type
class StoreOpsQuery:
    @strawberry.field(description="The template's stock text rows, each with its default.")
    async def store_texts(self, info: Info) -> list[StoreText]:
        rows = await info.context.read(lambda s, p: StoreTexts(s).rows(p))
        return [StoreText.of(r) for r in rows]

    @strawberry.field(description="The wordmark logo generateLogo made, if any.")
    async def store_logo(self, info: Info) -> StoreLogo | None:
        storage = info.context.services.media.storage

        async def read(session: AsyncSession, principal: Principal) -> tuple[StoreLogoRow, Any] | None:
            principal.require("store.store.read")
            row = await AiOpsRepository(session).logo(principal.workspace_id)
            if row is None:
                return None
            return row, await MediaService(session, storage).get(principal.workspace_id, row.media_id)

        found = await info.context.read(read)
        if found is None:
            return None
        row, media = found
        return StoreLogo(
            url=media_url(info, media),
            niche=row.niche,
            style=cast(JSON, row.style),
            width=media.width,
            height=media.height,
            created_at=row.created_at,
        )


@strawberry.type
class StoreOpsMutation:
    @payload_mutation(description="AI-suggest a category tree for the niche (as POST /api/categories/generate-list).")
    async def generate_category_list(
        self, info: Info, niche: str, max_categories: int | None = None, max_subcategories: int | None = None
    ) -> StoreOperationPayload:
        await info.context.require("store.categories.manage")
        body = _given(niche=niche, max_categories=max_categories, max_subcategories=max_subcategories)
        command = parse_now(GenerateCategoryListCommand, body)
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.generate_category_list(p, command, providers))

    @payload_mutation(description="Merge, fix and classify the store's brands (as POST /api/brands/clean).")
    async def clean_brands(
        self, info: Info, niche: str | None = None, keep_top: int | None = None
    ) -> StoreOperationPayload:
        await info.context.require("store.brands.manage")
        command = parse_now(CleanBrandsCommand, _given(niche=niche, keep_top=keep_top))
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.clean_brands(p, command, providers))

    @payload_mutation(description="Rewrite the stock texts still holding their default, one AI call per row.")
    async def regenerate_stock_texts(self, info: Info) -> StoreOperationPayload:
        await info.context.require("store.store.manage")
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.regenerate_stock_texts(p, providers))

    @payload_mutation(description="Pick the template's logo icon for the niche (as POST /api/store/pick-logo-icon).")
    async def pick_logo_icon(self, info: Info, niche: str) -> StoreOperationPayload:
        await info.context.require("store.store.manage")
        command = parse_now(NicheCommand, {"niche": niche})
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.pick_logo_icon(p, command, providers))

    @payload_mutation(description="Draw the store's wordmark logo (as POST /api/store/generate-logo).")
    async def generate_logo(self, info: Info, niche: str) -> StoreOperationPayload:
        await info.context.require("store.store.manage")
        command = parse_now(NicheCommand, {"niche": niche})
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.generate_logo(p, command, providers))

    @payload_mutation(description="Suggest article topics (as POST /api/articles/generate-topics).")
    async def generate_article_topics(self, info: Info, count: int | None = None) -> StoreOperationPayload:
        await info.context.require("store.articles.manage")
        command = parse_now(ArticleTopicsCommand, _given(count=count))
        providers = info.context.services.providers
        return await _submit(info, lambda ops, p: ops.generate_article_topics(p, command, providers))

    @payload_mutation(description="Copy an article's hero image into its empty listing and social image slots.")
    async def fill_article_empty_images(self, info: Info, article_id: int) -> FillArticleImagesPayload:
        filled = await info.context.write(lambda uow, p: ArticleService(uow.session).fill_empty_images(p, article_id))
        return FillArticleImagesPayload(filled=filled)

    @payload_mutation(description="Set a stock text row to the customer's own text.")
    async def set_store_text(self, info: Info, key: str, value: str) -> StoreTextPayload:
        row = await info.context.write(lambda uow, p: StoreTexts(uow.session).set(p, key, value))
        return StoreTextPayload(text=StoreText.of(row))

    @payload_mutation(description="Put a stock text row back to its default.")
    async def reset_store_text(self, info: Info, key: str) -> StoreTextPayload:
        row = await info.context.write(lambda uow, p: StoreTexts(uow.session).reset(p, key))
        return StoreTextPayload(text=StoreText.of(row))
