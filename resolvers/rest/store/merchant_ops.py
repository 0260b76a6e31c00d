"""The store's merchant operations on the store API: import products from Amazon links and fill categories from a
merchant, each answered 202 as the document shows while a job does the work (live progress on GraphQL
``jobProgress``, the job's record on ``/v1/jobs``). The body carries the job's id as ``job_id``, and the headers
``X-Job-Id`` and ``X-Credits-Charged`` say which job and what it cost. ``GET /api/offers/merchants`` is in
``offers.py`` (it reads ``MerchantService.enabled_merchants``)."""

from __future__ import annotations

from typing import NotRequired

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.merchants.commands import FillCategoriesCommand, ImportLinksCommand
from domain.merchants.ports import CredentialCipher
from domain.merchants.service import (
    MANAGE_CATEGORIES,
    MANAGE_PRODUCTS,
    FillSubmitted,
    ImportSubmitted,
    MerchantService,
)
from resolvers.rest.store.dialect import Data, data
from resolvers.rest.surface import Call, Router

router = Router(tags=["merchant operations"])


class LinkJson(TypedDict):
    link: str
    asin: str | None
    locale: str | None
    status: str
    reason: NotRequired[str]
    product_id: NotRequired[int]


class ImportLinksJson(TypedDict):
    total: int
    importing: int
    duplicates: int
    failed: int
    links: list[LinkJson]
    job_id: str


class FillJson(TypedDict):
    categories_queued: int
    quantity_per_category: int
    api_name: str
    locale: str
    job_id: str
    credits_charged: int


def _accepted(body: object, job_id: str, credits: int) -> Response:
    response = data(body, status=202)
    response.headers["X-Job-Id"] = job_id
    response.headers["X-Credits-Charged"] = str(credits)
    return response


@router.post("/products/import-links", permission=MANAGE_PRODUCTS, status=202, response=Data[ImportLinksJson])
async def import_links(call: Call, body: ImportLinksCommand) -> Response:
    """Read each link (an Amazon product URL of any marketplace, or a bare ASIN), report it (importing,
    duplicate of an existing offer, or failed when it is neither) and import the rest in the background, with
    their price, stock and images from the merchant. Out-of-stock items are imported: each link is a choice."""
    services = call.scope.services
    cipher = _cipher(call)

    async def write(uow: UnitOfWork, principal: Principal) -> ImportSubmitted:
        svc = MerchantService(uow, cipher=cipher, chips_per_credit=services.chips_per_credit, plans=services.plans)
        return await svc.submit_import(principal, body, ai_available=not services.providers.offline)

    submitted = await call.write(write)
    counts = submitted.counts()
    result: ImportLinksJson = {
        "total": counts["total"],
        "importing": counts["importing"],
        "duplicates": counts["duplicates"],
        "failed": counts["failed"],
        "links": [link.to_json() for link in submitted.links],  # type: ignore[misc]
        "job_id": submitted.job.id,
    }
    return _accepted(result, submitted.job.id, 0)


@router.post("/categories/fill", permission=MANAGE_CATEGORIES, status=202, response=Data[FillJson])
async def fill_categories(call: Call, body: FillCategoriesCommand) -> Response:
    """Fill each category (all of them when ``categories`` is left out) with up to ``quantity`` products from
    the merchant, searched by the category's title and keywords; out-of-stock items are skipped, and with
    ``ai_relevance_check`` (and an AI provider) the model confirms each fits. Billed in credits for the AI calls."""
    services = call.scope.services
    ai_available = not services.providers.offline

    async def write(uow: UnitOfWork, principal: Principal) -> FillSubmitted:
        svc = MerchantService(
            uow, cipher=_cipher(call), chips_per_credit=services.chips_per_credit, plans=services.plans
        )
        return await svc.submit_fill(principal, body, ai_available=ai_available)

    submitted = await call.write(write)
    result: FillJson = {
        "categories_queued": submitted.categories_queued,
        "quantity_per_category": submitted.quantity,
        "api_name": submitted.api_name,
        "locale": submitted.locale,
        "job_id": submitted.job.id,
        "credits_charged": submitted.credits,
    }
    return _accepted(result, submitted.job.id, submitted.credits)


def _cipher(call: Call) -> CredentialCipher | None:
    ports = call.scope.services.providers.merchants
    return ports.cipher if ports is not None else None
