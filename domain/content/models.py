"""Saved content configurations and editors' feedback on generated content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow

PUBLIC = "PUBLIC"
PRIVATE = "PRIVATE"
SCOPES = (PUBLIC, PRIVATE)


class ContentConfig(Base):
    """A workspace's saved configuration. Rows are always PRIVATE; PUBLIC ones are built in (see ``public``)."""

    __tablename__ = "content_configs"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(256), nullable=True)
    scope: Mapped[str] = mapped_column(String(16), default=PRIVATE)
    content_config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentFeedback(Base):
    """An editor's correction of one product's generated content, kept per job and product.

    The workspace's latest rows become few-shot examples in later generation prompts.
    """

    __tablename__ = "content_feedback"
    __table_args__ = (Index("ix_content_feedback_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(String(255))
    initial_pdp_content: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    corrected_pdp_content: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    comment_history: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentChannel(Base):
    """A workspace's channel: the content types it takes in a locale (``*``: every locale). A row with the id
    of a built-in channel (``domain.content.channels.BUILTIN_CHANNELS``) replaces it for the workspace."""

    __tablename__ = "content_channels"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "locale"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    content_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str | None] = mapped_column(String(256), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
