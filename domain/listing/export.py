"""The export of a product's approved images: one ZIP, a folder per platform
(``<platform>/<style>_<asset id>.png``), stored through the media port like any file and handed out as a signed,
expiring link. The same approved set gives the same bytes, so exporting twice stores one file."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.listing.assets import asset_ref
from domain.listing.models import ListingAsset
from domain.listing.repository import AssetRepository, ListingReads
from domain.listing.requests import product_ref
from domain.media.models import MediaFile
from domain.media.ports import MediaPorts
from domain.media.service import EXTENSIONS, MediaService
from domain.media.zipper import build_zip


@dataclass(frozen=True)
class ExportFile:
    media: MediaFile
    path: str  # the signed link's path ("/media/<token>"); absolute with the public base URL
    expires_at: datetime
    filename: str


def entry_name(asset: ListingAsset, media: MediaFile) -> str:
    extension = EXTENSIONS.get(media.content_type, "png")
    return f"{asset.platform}/{asset.style}_{asset_ref(asset.id)}.{extension}"


class ListingExport:
    def __init__(self, session: AsyncSession, media: MediaPorts) -> None:
        self.assets = AssetRepository(session)
        self.reads = ListingReads(session)
        self.ports = media
        self.media = MediaService(session, media.storage)

    async def zip(self, workspace_id: str, product_id: int) -> bytes:
        """The ZIP of the product's approved images (the caller checked the product is the workspace's)."""
        approved = await self.assets.approved_for_product(workspace_id, product_id)
        if not approved:
            raise NotFound(f"Product {product_ref(product_id)} has no approved images to export; approve some first.")
        files = await self.reads.media(workspace_id, [a.media_id for a in approved])
        entries: list[tuple[str, bytes]] = []
        for asset in approved:
            media = files[asset.media_id]
            entries.append((entry_name(asset, media), await self.media.read(media)))
        return await asyncio.to_thread(build_zip, entries)

    async def store(self, workspace_id: str, product_id: int, data: bytes) -> ExportFile:
        stored = await self.media.store(workspace_id, data, "application/zip")
        filename = f"{product_ref(product_id)}_{int(time.time())}.zip"
        signed = self.ports.urls.sign(stored, filename=filename)
        return ExportFile(stored, signed.path, signed.expires_at, filename)
