from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from domain.ai.models import AiUsage
from domain.repository import Repository


@dataclass(frozen=True)
class UsageTotals:
    model: str
    calls: int
    prompt_tokens: int
    completion_tokens: int


class AiUsageRepository(Repository):
    async def totals(self, workspace_id: str, *, since: datetime | None = None) -> list[UsageTotals]:
        """Per model: number of recorded calls and their tokens, for one workspace."""
        stmt = (
            select(
                AiUsage.model,
                func.count(AiUsage.id),
                func.coalesce(func.sum(AiUsage.prompt_tokens), 0),
                func.coalesce(func.sum(AiUsage.completion_tokens), 0),
            )
            .where(AiUsage.workspace_id == workspace_id)
            .group_by(AiUsage.model)
            .order_by(AiUsage.model)
        )
        if since is not None:
            stmt = stmt.where(AiUsage.created_at >= since)
        rows = (await self.session.execute(stmt)).all()
        return [UsageTotals(model, int(calls), int(pt), int(ct)) for model, calls, pt, ct in rows]

    async def for_job(self, job_id: str) -> list[AiUsage]:
        stmt = select(AiUsage).where(AiUsage.job_id == job_id).order_by(AiUsage.id)
        return list((await self.session.execute(stmt)).scalars())
