"""What the store's AI operations keep: the template's stock text rows and the generated wordmark logo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, utcnow


class StoreText(Base):
    """One template text row that no longer holds its default (a customer's edit or an AI rewrite). A row
    never written reads as the catalogue's default (``texts.STOCK_TEXTS``)."""

    __tablename__ = "store_texts"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # "customer" or "ai"
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StoreLogo(Base):
    """The wordmark generated for a store: the media file (so a fresh signed link can be made at any time), the
    niche it was styled for and the style used."""

    __tablename__ = "store_logos"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    # A media_files id, without a foreign key so the store and media areas migrate independently.
    media_id: Mapped[str] = mapped_column(String(36))
    niche: Mapped[str] = mapped_column(String(255))
    style: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
