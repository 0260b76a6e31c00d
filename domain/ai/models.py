from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, UTCDateTime, UUIDStr, utcnow


class AiUsage(Base):
    """One provider call's token usage (or a job's batch of them), for per-workspace accounting.

    ``job_id`` is kept without a foreign key on purpose: usage is a ledger and outlives pruned jobs.
    """

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(UUIDStr, nullable=True, index=True)
    model: Mapped[str] = mapped_column(String(128))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
