from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, UTCDateTime, UUIDStr, new_uuid, utcnow


class MediaFile(Base):
    """A stored file (an image, an export). Stored once per workspace: the same bytes are the same row."""

    __tablename__ = "media_files"
    __table_args__ = (UniqueConstraint("workspace_id", "sha256"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Where the storage port keeps the bytes ("<workspace_id>/<sha256>.<ext>").
    storage_key: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProductImage(Base):
    """One image of a catalog product, in order; the bytes are a media file."""

    __tablename__ = "catalog_product_images"
    __table_args__ = (Index("ix_catalog_product_images_product_position", "product_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    media_id: Mapped[str] = mapped_column(ForeignKey("media_files.id", ondelete="RESTRICT"), index=True)
    # The URL it was imported from, when it was.
    source_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
