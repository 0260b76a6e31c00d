"""All SQL of media: stored files (``media_files``) and the images of catalog products (``catalog_product_images``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.catalog.models import Product
from domain.media.models import MediaFile, ProductImage
from domain.repository import Repository


class MediaRepository(Repository):
    async def get(self, workspace_id: str, media_id: str) -> MediaFile | None:
        stmt = select(MediaFile).where(MediaFile.workspace_id == workspace_id, MediaFile.id == media_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_sha256(self, workspace_id: str, sha256: str) -> MediaFile | None:
        stmt = select(MediaFile).where(MediaFile.workspace_id == workspace_id, MediaFile.sha256 == sha256)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def insert_or_existing(self, row: MediaFile) -> MediaFile:
        """Insert ``row``; when a concurrent transaction stored the same bytes first (the unique
        ``(workspace_id, sha256)``), its row instead. The savepoint keeps the caller's transaction usable."""
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            existing = await self.by_sha256(row.workspace_id, row.sha256)
            if existing is None:  # the clash was not the duplicate (a workspace deleted meanwhile)
                raise
            return existing
        return row

    async def product_exists(self, workspace_id: str, product_id: int) -> bool:
        stmt = select(Product.id).where(
            Product.workspace_id == workspace_id, Product.id == product_id, Product.deleted_at.is_(None)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None

    async def next_image_position(self, workspace_id: str, product_id: int) -> int:
        stmt = select(func.max(ProductImage.position)).where(
            ProductImage.workspace_id == workspace_id, ProductImage.product_id == product_id
        )
        last = (await self.session.execute(stmt)).scalar_one_or_none()
        return 0 if last is None else int(last) + 1

    async def product_image(self, workspace_id: str, product_id: int, media_id: str) -> ProductImage | None:
        stmt = select(ProductImage).where(
            ProductImage.workspace_id == workspace_id,
            ProductImage.product_id == product_id,
            ProductImage.media_id == media_id,
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def product_images(
        self, workspace_id: str, product_ids: Sequence[int]
    ) -> dict[int, list[tuple[ProductImage, MediaFile]]]:
        """Each product's images in position order (then id), with their files; products without images
        are absent."""
        if not product_ids:
            return {}
        stmt = (
            select(ProductImage, MediaFile)
            .join(MediaFile, MediaFile.id == ProductImage.media_id)
            .where(ProductImage.workspace_id == workspace_id, self.one_of(ProductImage.product_id, product_ids))
            .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
        )
        out: dict[int, list[tuple[ProductImage, MediaFile]]] = {}
        for image, media in (await self.session.execute(stmt)).all():
            out.setdefault(image.product_id, []).append((image, media))
        return out
