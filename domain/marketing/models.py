"""Marketing posts and the storefront's entries for them. A post belongs to the job that wrote it and to the
catalog product it markets; its image (when one was asked for) is a media file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow

DRAFT = "draft"


class MarketingPost(Base):
    __tablename__ = "marketing_posts"
    __table_args__ = (Index("ix_marketing_posts_workspace_product", "workspace_id", "product_id", "created_at"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True, index=True)
    # The post's place among the job's posts (0-based) and the angle it was written from.
    position: Mapped[int] = mapped_column(Integer)
    angle: Mapped[str] = mapped_column(String(32))
    caption: Mapped[str] = mapped_column(Text)
    hashtags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    cta: Mapped[str] = mapped_column(String(255))
    # {"headline", "priceBadge", "cta"}: the text laid over the image, as data.
    overlays: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    image_media_id: Mapped[str | None] = mapped_column(
        ForeignKey("media_files.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    image_type: Mapped[str] = mapped_column(String(16))
    # The request's structured inputs, and who wrote and drew it ({"writer", "renderer", ...}).
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StorefrontPost(Base):
    """The storefront's entry for a post: what links the product's page to the post."""

    __tablename__ = "storefront_posts"
    __table_args__ = (Index("ix_storefront_posts_workspace_product", "workspace_id", "product_id"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(ForeignKey("marketing_posts.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
