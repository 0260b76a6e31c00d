"""The listing studio's SQL: its assets, and the few reads of other areas' tables it needs (the workspace's
plan, media rows by id). Repositories never commit."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import Workspace
from domain.listing.models import APPROVED, ListingAsset
from domain.media.models import MediaFile
from domain.paging import PageRequest


@dataclass(frozen=True)
class AssetFilter:
    product_id: int | None = None
    platform: str | None = None
    style: str | None = None
    status: str | None = None


class AssetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, asset: ListingAsset) -> ListingAsset:
        self.session.add(asset)
        await self.session.flush()
        return asset

    async def for_job(self, workspace_id: str, job_id: str) -> ListingAsset | None:
        """The asset a job already wrote (an attempt that stored it and then died before the job completed)."""
        stmt = select(ListingAsset).where(ListingAsset.workspace_id == workspace_id, ListingAsset.job_id == job_id)
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()

    async def get(self, workspace_id: str, asset_id: str) -> ListingAsset | None:
        stmt = select(ListingAsset).where(ListingAsset.workspace_id == workspace_id, ListingAsset.id == asset_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list(
        self, workspace_id: str, f: AssetFilter, page: PageRequest
    ) -> tuple[builtins.list[ListingAsset], int]:
        """One page of the workspace's assets, newest first, and how many match in all."""
        where = [ListingAsset.workspace_id == workspace_id]
        if f.product_id is not None:
            where.append(ListingAsset.product_id == f.product_id)
        if f.platform is not None:
            where.append(ListingAsset.platform == f.platform)
        if f.style is not None:
            where.append(ListingAsset.style == f.style)
        if f.status is not None:
            where.append(ListingAsset.status == f.status)
        total = (await self.session.execute(select(func.count()).select_from(ListingAsset).where(*where))).scalar_one()
        stmt = (
            select(ListingAsset)
            .where(*where)
            .order_by(ListingAsset.created_at.desc(), ListingAsset.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return list((await self.session.execute(stmt)).scalars()), int(total)

    async def approved_for_product(self, workspace_id: str, product_id: int) -> builtins.list[ListingAsset]:
        stmt = (
            select(ListingAsset)
            .where(
                ListingAsset.workspace_id == workspace_id,
                ListingAsset.product_id == product_id,
                ListingAsset.status == APPROVED,
            )
            .order_by(ListingAsset.platform, ListingAsset.style, ListingAsset.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def update(self, asset: ListingAsset) -> ListingAsset:
        """Writes the asset's changed attributes now (the caller's transaction commits them)."""
        await self.session.flush()
        return asset


class ListingReads:
    """Reads of other areas' rows the listing studio renders or gates on."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(self, workspace_id: str) -> str | None:
        stmt = select(Workspace.plan).where(Workspace.id == workspace_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def media(self, workspace_id: str, media_ids: Sequence[str]) -> dict[str, MediaFile]:
        if not media_ids:
            return {}
        stmt = select(MediaFile).where(MediaFile.workspace_id == workspace_id, MediaFile.id.in_(list(media_ids)))
        return {m.id: m for m in (await self.session.execute(stmt)).scalars()}
