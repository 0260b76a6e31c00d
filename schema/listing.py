"""The listing studio's GraphQL twin: the same ``ListingService`` calls as the REST surface (``/listing/api``),
its commands parsed from the same bodies, its errors as ``userErrors``; job progress through ``jobProgress``.
Also merges the workspace webhook subscriptions (``schema/webhooks.py``). ``credits`` is ``schema/credits.py``'s.

The plan rule (a free workspace gets 403 ``plan_required``) is checked, with the permission, before a mutation
reads its input, and answered as a top-level error (``PLAN_REQUIRED``) like a missing permission.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.tools import merge_types

from domain.accounts.principal import Principal
from domain.errors import NotFound, Problems
from domain.listing.assets import AssetView
from domain.listing.pricing import IMAGE_PLATFORMS, STYLES
from domain.listing.repository import AssetFilter
from domain.listing.requests import CopyRequest, ImageRequest, product_id_of
from domain.listing.service import MANAGE, READ, PlanRequired
from domain.paging import Page, PageRequest
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation, to_graphql_error
from schema.jobs import Job
from schema.listing_types import (
    ASSET_TYPE,
    GenerateListingCopyInput,
    GenerateListingImageInput,
    ListingAsset,
    ListingAssetStatus,
    ListingProduct,
    absolute,
    listing_service,
    product_arg,
)
from schema.relay import Connection, page_request, raw_id_for
from schema.types import Info
from schema.webhooks import WebhookMutation, WebhookQuery

T = TypeVar("T")


def _product_number(value: str) -> int:
    """The catalog id an argument names; anything else names no product (NOT_FOUND)."""
    try:
        return product_id_of(product_arg(value))
    except ValueError:
        raise NotFound("No ListingProduct with this id.") from None


async def _window(request: PageRequest, fetch: Callable[[int, int], Awaitable[tuple[list[T], int]]]) -> Page[T]:
    """``request``'s items from a list the service pages by number: one page when the cursor falls on a page
    boundary (it does while ``first`` stays the same), else the two pages the window spans."""
    first, offset = request.limit, request.offset
    number = offset // first + 1
    items, total = await fetch(number, first)
    skip = offset % first
    if skip:
        following, total = await fetch(number + 1, first)
        items = (items + following)[skip : skip + first]
    return Page(items, total, offset, first)


async def _allowed(info: Info, permission: str) -> None:
    """The permission and the plan, before any input is read: neither is a problem with the input."""
    try:
        await info.context.read(lambda s, p: listing_service(info, s).check_access(p, permission))
    except PlanRequired as exc:
        raise to_graphql_error(exc) from None


@strawberry.type
class StudioQuery:
    @strawberry.field(description="The workspace's catalog products with their images, newest first.")
    async def listing_products(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ListingProduct]:
        request = page_request(first, after)

        async def read(session: AsyncSession, principal: Principal) -> Page[Any]:
            service = listing_service(info, session)

            async def fetch(number: int, size: int) -> tuple[list[Any], int]:
                found = await service.products(principal, number, size)
                return found.items, found.total

            return await _window(request, fetch)

        page = await info.context.read(read)
        return Connection.of(page, lambda view: ListingProduct.of(info, view))

    @strawberry.field(description="One product by its global id, prod_123 or 123.")
    async def listing_product(self, info: Info, id: strawberry.ID) -> ListingProduct:
        return await ListingProduct.resolve_node(info, str(_product_number(id)))

    @strawberry.field(description="Generated images, newest first, filtered by product, platform, style, status.")
    async def assets(
        self,
        info: Info,
        product_id: strawberry.ID | None = None,
        platform: str | None = None,
        style: str | None = None,
        status: ListingAssetStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ListingAsset]:
        problems = Problems()
        if platform is not None and platform not in IMAGE_PLATFORMS:
            problems.add("platform", "in", f"Unknown platform. Use one of: {', '.join(IMAGE_PLATFORMS)}.")
        if style is not None and style not in STYLES:
            problems.add("style", "in", f"Unknown style. Use one of: {', '.join(STYLES)}.")
        problems.raise_if_any()
        f = AssetFilter(
            product_id=_product_number(product_id) if product_id is not None else None,
            platform=platform,
            style=style,
            status=status.value if status is not None else None,
        )
        request = page_request(first, after)

        async def read(session: AsyncSession, principal: Principal) -> Page[AssetView]:
            service = listing_service(info, session)

            async def fetch(number: int, size: int) -> tuple[list[AssetView], int]:
                found = await service.assets(principal, f, number, size)
                return found.items, found.total

            return await _window(request, fetch)

        page = await info.context.read(read)
        return Connection.of(page, lambda view: ListingAsset.of(info, view))


@strawberry.type
class GenerateListingJobPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")
    credit_cost: int | None = strawberry.field(default=None, description="Credits debited (refunded if it fails).")


@strawberry.type
class ListingAssetPayload(Payload):
    asset: ListingAsset | None = None


@strawberry.type
class ExportListingAssetsPayload(Payload):
    download_url: str | None = strawberry.field(default=None, description="A signed link to the ZIP; it expires.")
    expires_at: datetime | None = None


@strawberry.type
class StudioMutation:
    @payload_mutation(description="Queue an image of a product in a style (credits debited now).")
    async def generate_listing_image(self, info: Info, input: GenerateListingImageInput) -> GenerateListingJobPayload:
        await _allowed(info, MANAGE)
        command = parse_now(ImageRequest, input.body())
        providers = info.context.services.providers
        job, cost = await info.context.write(
            lambda uow, p: listing_service(info, uow).submit_image(p, command, providers)
        )
        return GenerateListingJobPayload(job=Job.from_model(job), credit_cost=cost)

    @payload_mutation(description="Queue listing copy (title, bullets, description, keywords) for a platform.")
    async def generate_listing_copy(self, info: Info, input: GenerateListingCopyInput) -> GenerateListingJobPayload:
        await _allowed(info, MANAGE)
        command = parse_now(CopyRequest, input.body())
        job, cost = await info.context.write(lambda uow, p: listing_service(info, uow).submit_copy(p, command))
        return GenerateListingJobPayload(job=Job.from_model(job), credit_cost=cost)

    @payload_mutation(description="Approve a generated image: exports include it.")
    async def approve_asset(self, info: Info, id: strawberry.ID) -> ListingAssetPayload:
        return await _review(info, id, approve=True)

    @payload_mutation(description="Reject a generated image: exports leave it out (it can be approved later).")
    async def reject_asset(self, info: Info, id: strawberry.ID) -> ListingAssetPayload:
        return await _review(info, id, approve=False)

    @payload_mutation(description="A ZIP of the product's approved images, a folder per platform, as a signed link.")
    async def export_listing_assets(self, info: Info, product_id: strawberry.ID) -> ExportListingAssetsPayload:
        await _allowed(info, READ)  # as GET /export: whoever may see the assets may take them
        number = _product_number(product_id)
        # Read and zip first, store after: the write holds no transaction while files are read.
        data = await info.context.read(lambda s, p: listing_service(info, s).export_zip(p, number))
        found = await info.context.write(lambda uow, p: listing_service(info, uow).store_export(p, number, data))
        return ExportListingAssetsPayload(download_url=absolute(info, found.path), expires_at=found.expires_at)


async def _review(info: Info, id: str, *, approve: bool) -> ListingAssetPayload:
    await _allowed(info, MANAGE)
    raw = raw_id_for(ASSET_TYPE, id)

    async def review(uow: Any, principal: Principal) -> AssetView:
        service = listing_service(info, uow)
        return await service.asset_view(principal, await service.review_asset(principal, raw, approve))

    return ListingAssetPayload(asset=ListingAsset.of(info, await info.context.write(review)))


ListingQuery = merge_types("ListingQuery", (StudioQuery, WebhookQuery))
ListingMutation = merge_types("ListingMutation", (StudioMutation, WebhookMutation))
