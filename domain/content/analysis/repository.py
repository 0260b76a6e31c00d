"""All SQL of content analysis: the review summaries stored by ``output_id``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.base import utcnow
from domain.content.analysis.models import ReviewSummaryOutput
from domain.repository import Repository


class AnalysisRepository(Repository):
    async def summary_output(self, workspace_id: str, output_id: str) -> ReviewSummaryOutput | None:
        stmt = select(ReviewSummaryOutput).where(
            ReviewSummaryOutput.workspace_id == workspace_id, ReviewSummaryOutput.output_id == output_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save_summary_output(
        self, workspace_id: str, output_id: str, job_id: str, summary: dict[str, Any]
    ) -> ReviewSummaryOutput:
        """Stores ``summary`` under ``output_id``, replacing what was stored there (the latest job wins; two jobs
        finishing together under one id: the second one's insert clashes and it updates instead)."""
        for _ in range(2):
            row = await self.summary_output(workspace_id, output_id)
            if row is not None:
                row.job_id, row.summary, row.updated_at = job_id, summary, utcnow()
                await self.session.flush()
                return row
            row = ReviewSummaryOutput(workspace_id=workspace_id, output_id=output_id, job_id=job_id, summary=summary)
            try:
                async with self.session.begin_nested():
                    self.session.add(row)
            except IntegrityError:
                continue
            return row
        raise RuntimeError(f"could not store the review summary {output_id!r}")
