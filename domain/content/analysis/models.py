"""Review summaries stored under the caller's ``output_id`` (the document: "The ID to store the generated Review
Summaries report under"), so a report can be read again by that id. The latest completed job wins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, utcnow

OUTPUT_ID_MAX = 255


class ReviewSummaryOutput(Base):
    __tablename__ = "content_review_summaries"
    __table_args__ = (UniqueConstraint("workspace_id", "output_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    output_id: Mapped[str] = mapped_column(String(OUTPUT_ID_MAX))
    # The job that wrote it; the report stays when the job is deleted.
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the job's result
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
