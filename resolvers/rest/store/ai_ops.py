"""The store's AI operations on the store API: generate a category list, clean brands, regenerate stock texts,
pick a logo icon, generate a logo, article topics.

Each submits a job (``domain.store.ai_ops``), then waits for it and answers the document's body, so a caller
of the document sees the synchronous API it was written against while the job also has live progress, a
GraphQL twin and a record. ``X-Job-Id`` names the job and ``X-Credits-Charged`` what it cost. A job still
running after ``WAIT_SECONDS`` is answered 202 with its id and status (follow it on ``/v1/jobs`` or GraphQL).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NotRequired

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.ai.ports import ProviderSet
from domain.db import UnitOfWork
from domain.errors import DomainError
from domain.jobs.models import COMPLETED, FAILED, Job
from domain.store.ai_ops.requests import (
    ArticleTopicsCommand,
    CleanBrandsCommand,
    GenerateCategoryListCommand,
    NicheCommand,
)
from domain.store.ai_ops.service import StoreAiOps, Submitted
from resolvers.context import AppServices
from resolvers.jobs import wait_until_ended
from resolvers.jsonenc import JSONResponse
from resolvers.rest.store.dialect import Data
from resolvers.rest.surface import Call, Router

router = Router(tags=["store AI operations"])
WAIT_SECONDS = 110.0  # past the provider's timeout with a retry; a slower job is answered 202
POLL_SECONDS = 1.0  # re-read the job this often, in case a bus message was lost
ACCEPTED = {202: "Still running: the job's id and status", 503: "The AI provider is missing or failed"}


class AiOperationFailed(DomainError, status=503, code="ai_operation_failed"):
    """The operation's job failed (the AI call failed or answered nothing usable); its credits were refunded."""


class CategoryTreeItemJson(TypedDict):
    title: str
    subcategories: list[str]


class CategoryListJson(TypedDict):
    niche: str
    categories: list[CategoryTreeItemJson]


class CleanBrandsJson(TypedDict):
    classified: int
    enabled: int
    capped: int
    deleted: int
    kept_disabled: int
    title_fixes: int
    merged: int


class StockTextsJson(TypedDict):
    rewritten: int
    skipped_customised: int
    keys: list[str]


class LogoIconJson(TypedDict):
    status: str
    picked: NotRequired[str]
    label: NotRequired[str]
    reason: NotRequired[str]


class LogoJson(TypedDict):
    status: str
    reason: NotRequired[str]
    error: NotRequired[str]
    url: NotRequired[str]


class TopicsJson(TypedDict):
    topics: list[str]
    requested: int
    returned: int


def _ops(services: AppServices) -> Callable[[UnitOfWork], StoreAiOps]:
    return lambda uow: StoreAiOps(uow, plans=services.plans, chips_per_credit=services.chips_per_credit)


async def _run(
    call: Call,
    submit: Callable[[StoreAiOps, Any, ProviderSet], Awaitable[Submitted]],
    render: Callable[[Job], dict[str, Any]],
) -> Response:
    services = call.scope.services
    make = _ops(services)
    submitted = await call.write(lambda uow, p: submit(make(uow), p, services.providers))
    job = await wait_until_ended(services, submitted.job.workspace_id, submitted.job.id, WAIT_SECONDS, POLL_SECONDS)
    headers = {"X-Job-Id": f"job_{job.id}", "X-Credits-Charged": str(submitted.credits)}
    if not job.is_terminal:
        body = {"job_id": f"job_{job.id}", "status": job.status, "progress": job.progress}
        return JSONResponse({"data": body}, status_code=202, headers=headers)
    return JSONResponse({"data": render(job)}, headers=headers)


def _result(job: Job) -> dict[str, Any]:
    """A completed job's result; a failed or cancelled one is the document's 503."""
    if job.status == COMPLETED:
        return dict(job.result or {})
    raise AiOperationFailed(job.error_message or f"The operation did not complete ({job.status}).")


def _icon(job: Job) -> dict[str, Any]:
    if job.status == FAILED and job.error_code == "invalid_response":
        return {"status": "invalid_response"}
    return _result(job)


def _logo(job: Job) -> dict[str, Any]:
    if job.status != COMPLETED:
        return {"status": "failed", "error": job.error_message or f"The generation did not complete ({job.status})."}
    result = dict(job.result or {})
    return {k: result[k] for k in ("status", "reason", "url") if k in result}


@router.post(
    "/categories/generate-list",
    permission="store.categories.manage",
    response=Data[CategoryListJson],
    responses=ACCEPTED,
    body_required=False,  # no body: the required niche is missing (a 422 naming it)
)
async def generate_category_list(call: Call, body: GenerateCategoryListCommand) -> Response:
    """AI-suggest a category tree for the niche (needs an AI provider; billed once)."""
    return await _run(call, lambda ops, p, providers: ops.generate_category_list(p, body, providers), _result)


@router.post(
    "/brands/clean",
    permission="store.brands.manage",
    response=Data[CleanBrandsJson],
    responses=ACCEPTED,
    body_required=False,
)
async def clean_brands(call: Call, body: CleanBrandsCommand) -> Response:
    """Merge variants of a brand (reassigning their products), fix titles, classify and apply the verdicts."""
    return await _run(call, lambda ops, p, providers: ops.clean_brands(p, body, providers), _result)


@router.post(
    "/store/regenerate-stock-texts", permission="store.store.manage", response=Data[StockTextsJson], responses=ACCEPTED
)
async def regenerate_stock_texts(call: Call) -> Response:
    """Rewrite the template text rows still holding their default (one AI call per row)."""
    return await _run(call, lambda ops, p, providers: ops.regenerate_stock_texts(p, providers), _result)


@router.post(
    "/store/pick-logo-icon",
    permission="store.store.manage",
    response=Data[LogoIconJson],
    responses=ACCEPTED,
    body_required=False,  # no body: the required niche is missing (a 422 naming it)
)
async def pick_logo_icon(call: Call, body: NicheCommand) -> Response:
    """Pick the template's logo icon for the niche: picked, skipped or invalid_response."""
    return await _run(call, lambda ops, p, providers: ops.pick_logo_icon(p, body, providers), _icon)


@router.post(
    "/store/generate-logo",
    permission="store.store.manage",
    response=Data[LogoJson],
    responses=ACCEPTED,
    body_required=False,
)
async def generate_logo(call: Call, body: NicheCommand) -> Response:
    """Draw a wordmark of the store's name and attach it to the template's logo slot."""
    return await _run(call, lambda ops, p, providers: ops.generate_logo(p, body, providers), _logo)


@router.post(
    "/articles/generate-topics",
    permission="store.articles.manage",
    response=Data[TopicsJson],
    responses=ACCEPTED,
    body_required=False,
)
async def generate_article_topics(call: Call, body: ArticleTopicsCommand) -> Response:
    """Suggest article topics for the store's niche (one AI call per topic)."""
    return await _run(call, lambda ops, p, providers: ops.generate_article_topics(p, body, providers), _result)
