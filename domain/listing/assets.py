"""Listing assets: every generated image (the image job writes them), listed with filters, approved or rejected
by an editor. Exports take the approved ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.errors import NotFound
from domain.listing.models import APPROVED, REJECTED, ListingAsset
from domain.listing.repository import AssetFilter, AssetRepository, ListingReads
from domain.media.models import MediaFile
from domain.paging import PageRequest

ASSET_PREFIX = "asset_"


def asset_ref(asset_id: str) -> str:
    return f"{ASSET_PREFIX}{asset_id}"


def parse_asset_id(asset_id: str) -> str:
    """An asset id as stored, from ``asset_<uuid>`` or the bare uuid; a malformed one names nothing (404)."""
    try:
        return str(uuid.UUID(asset_id.removeprefix(ASSET_PREFIX)))
    except (ValueError, AttributeError):
        raise NotFound("Asset not found.") from None


@dataclass(frozen=True)
class AssetView:
    asset: ListingAsset
    media: MediaFile | None  # None only if the file's row is gone, which the foreign key prevents


@dataclass(frozen=True)
class AssetPage:
    items: list[AssetView]
    total: int
    page: int
    limit: int


class ListingAssets:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = AssetRepository(session)
        self.reads = ListingReads(session)

    async def page(self, principal: Principal, f: AssetFilter, page: int, limit: int) -> AssetPage:
        rows, total = await self.repo.list(principal.workspace_id, f, PageRequest.numbered(page, limit))
        media = await self.reads.media(principal.workspace_id, [a.media_id for a in rows])
        return AssetPage([AssetView(a, media.get(a.media_id)) for a in rows], total, page, limit)

    async def get(self, principal: Principal, asset_id: str) -> ListingAsset:
        asset = await self.repo.get(principal.workspace_id, parse_asset_id(asset_id))
        if asset is None:
            raise NotFound("Asset not found.")
        return asset

    async def view(self, principal: Principal, asset: ListingAsset) -> AssetView:
        media = await self.reads.media(principal.workspace_id, [asset.media_id])
        return AssetView(asset, media.get(asset.media_id))

    async def review(self, principal: Principal, asset_id: str, approve: bool) -> ListingAsset:
        """Approve or reject; reviewing again changes the verdict (a rejected image can still be approved)."""
        asset = await self.get(principal, asset_id)
        asset.status = APPROVED if approve else REJECTED
        asset.reviewed_at = utcnow()
        asset.reviewed_by_user_id = principal.user_id
        asset.updated_at = asset.reviewed_at
        return await self.repo.update(asset)
