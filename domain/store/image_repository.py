"""SQL of the store's AI work: the rows whose content or images are generated, and their image slots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.models import Brand, Category, Product
from domain.media.models import MediaFile
from domain.store.image_models import StoreImage
from domain.store.models import Article, Page

ENTITY_MODELS: dict[str, type[Brand] | type[Category] | type[Article] | type[Page] | type[Product]] = {
    "brand": Brand,
    "category": Category,
    "article": Article,
    "page": Page,
    "product": Product,
}


class StoreAiRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def row(self, workspace_id: str, entity: str, entity_id: int, *, for_update: bool = False) -> Any:
        """The category, article or page (None when it is gone)."""
        model = ENTITY_MODELS[entity]
        query = select(model).where(model.workspace_id == workspace_id, model.id == entity_id)
        if model is Product:  # a deleted product is gone for the AI jobs too
            query = query.where(Product.deleted_at.is_(None))
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def replace_image(self, image: StoreImage) -> None:
        """Put ``image`` in its slot, dropping the slot's previous row (its media file stays: others may share it)."""
        await self.session.execute(
            delete(StoreImage).where(
                StoreImage.workspace_id == image.workspace_id,
                StoreImage.entity == image.entity,
                StoreImage.entity_id == image.entity_id,
                StoreImage.slot == image.slot,
            )
        )
        self.session.add(image)
        await self.session.flush()

    async def images(self, workspace_id: str, entity: str, entity_id: int) -> list[StoreImage]:
        query = (
            select(StoreImage)
            .where(
                StoreImage.workspace_id == workspace_id, StoreImage.entity == entity, StoreImage.entity_id == entity_id
            )
            .order_by(StoreImage.slot)
        )
        return list((await self.session.execute(query)).scalars())

    async def public_image(self, image_id: str) -> tuple[StoreImage, MediaFile] | None:
        """A slot's image and its file, while the row it belongs to still exists."""
        query = (
            select(StoreImage, MediaFile)
            .join(MediaFile, MediaFile.id == StoreImage.media_id)
            .where(StoreImage.id == image_id)
        )
        found = (await self.session.execute(query)).first()
        if found is None:
            return None
        image, media = found
        if await self.row(image.workspace_id, image.entity, image.entity_id) is None:
            return None
        return image, media
