"""A workspace's merchant connections (credentials encrypted) and what the merchants last said about its offers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow


class MerchantConnection(Base):
    """How the workspace reaches one merchant (``amazon``, ``ebay``, ...): the adapter, its settings (partner tag,
    feed source) and its credentials, Fernet-encrypted (``domain.merchants.secrets``)."""

    __tablename__ = "merchant_connections"
    __table_args__ = (UniqueConstraint("workspace_id", "merchant", name="uq_merchant_connections_workspace_merchant"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    merchant: Mapped[str] = mapped_column(String(32))
    adapter: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    credentials: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MerchantOfferState(Base):
    """The merchant's last word on an offer: still listed or not (``expired_offers`` deletes the unlisted ones),
    and when it was checked."""

    __tablename__ = "merchant_offer_states"

    offer_id: Mapped[int] = mapped_column(ForeignKey("catalog_offers.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
