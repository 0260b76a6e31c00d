"""Spaces, their members and the products posted to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, UTCDateTime, utcnow

OWNER = "owner"
MEMBER = "member"
ROLES = (OWNER, MEMBER)


class Space(Base):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    max_products: Mapped[int] = mapped_column(Integer)
    # Products posted so far: raised by one conditional UPDATE per post (``product_count < max_products``), so
    # two posts racing for the last place cannot both take it.
    product_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SpaceMember(Base):
    """A workspace member's place in a space. ``notify``: emailed when another member posts (opt-in)."""

    __tablename__ = "space_members"
    __table_args__ = (UniqueConstraint("space_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=MEMBER)
    notify: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SpaceProductPost(Base):
    """A product posted to a space, every field of the document as sent. Its id is the document's
    ``contentId`` (rendered as text). The posting member owns it."""

    __tablename__ = "space_product_posts"
    __table_args__ = (Index("ix_space_product_posts_space_created", "space_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    product_title: Mapped[str] = mapped_column(Text)
    product_currency_code: Mapped[str] = mapped_column(String(3))
    product_price: Mapped[str] = mapped_column(Text)
    product_sale_price: Mapped[str] = mapped_column(Text)
    product_url: Mapped[str] = mapped_column(Text)
    product_product_id: Mapped[str] = mapped_column(Text)
    product_sku_id: Mapped[str] = mapped_column(Text)
    product_variant_options: Mapped[str] = mapped_column(Text)
    product_linked_products: Mapped[str | None] = mapped_column(Text, nullable=True)
    product_desired_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    # As sent: None when left out, "" when sent blank (it passes through blank to the notification).
    product_image_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    notification_product_price: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # The uploaded media file productImageUrl names, when it names one (``POST /spaces/{id}/media``).
    image_media_id: Mapped[str | None] = mapped_column(
        ForeignKey("media_files.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
