from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow

GENERATED = "generated"
APPROVED = "approved"
REJECTED = "rejected"
ASSET_STATUSES = (GENERATED, APPROVED, REJECTED)


class ListingAsset(Base):
    """A generated listing image: what it shows (product, style, platform, size), its file, and how it fared
    against the platform's rules. Editors approve or reject it; exports take the approved ones."""

    __tablename__ = "listing_assets"
    __table_args__ = (
        Index("ix_listing_assets_workspace_created", "workspace_id", "created_at"),
        Index("ix_listing_assets_workspace_product", "workspace_id", "product_id"),
    )

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True, index=True)
    media_id: Mapped[str] = mapped_column(ForeignKey("media_files.id", ondelete="RESTRICT"), index=True)
    style: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=GENERATED)
    # {"platform", "passed", "checks": [{"rule", "passed", "detail"}]}
    compliance: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Which renderer made it: "pillow", or the image model's name when one drew the scene.
    renderer: Mapped[str] = mapped_column(String(64), default="pillow")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
