"""Content-analysis rules: submitting review-summariser and tone-of-voice jobs, reading their results, and the
review summaries stored by ``output_id``. Services never commit; the request owns the transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.reviews import ProductReviewService
from domain.content.analysis.kinds import REVIEW_SUMMARISER, TONE_OF_VOICE_ANALYSIS
from domain.content.analysis.repository import AnalysisRepository
from domain.content.analysis.review_report import report_maps
from domain.content.analysis.review_request import ReviewSummaryJobParams, ReviewSummaryRequest
from domain.content.analysis.tone_request import STYLE_GUIDE_FIELDS, ToneAnalysisRequest, ToneJobParams
from domain.content.configs import MANAGE, READ
from domain.content.content_jobs import ContentJobs, completed
from domain.content.documents import InvalidRequest
from domain.content.products import catalog_id
from domain.content.request import MAX_REVIEWS_USED
from domain.db import UnitOfWork
from domain.errors import NotFound, Problems
from domain.jobs.models import Job


class AnalysisService(ContentJobs):
    """Needs a ``UnitOfWork`` for writes, a session for reads."""

    def __init__(self, uow_or_session: UnitOfWork | AsyncSession) -> None:
        super().__init__(uow_or_session)
        self.repo = AnalysisRepository(self.session)

    # --- review summariser ----------------------------------------------------------------------

    async def review_params(self, principal: Principal, request: ReviewSummaryRequest) -> ReviewSummaryJobParams:
        """The job's parameters: the first 200 review texts sent, or the first 200 stored reviews of the
        ``product_ids`` (products in the order given, each one's reviews in the order they were added). Every
        product id must name a product of the workspace's catalog, and they must have reviews. Writes nothing."""
        principal.require(MANAGE)
        common = {
            "market": request.market,
            "language": request.language,
            "product_desc": request.product_desc,
            "output_id": request.output_id,
        }
        if request.review_texts is not None:
            texts = request.review_texts
            return ReviewSummaryJobParams(
                **common, source="review_texts", reviews=texts[:MAX_REVIEWS_USED], reviews_received=len(texts)
            )
        raw_ids = list(request.product_ids or [])
        problems = Problems()
        wanted: dict[int, int] = {}
        for i, raw in enumerate(raw_ids):
            key = catalog_id(raw)
            if raw in raw_ids[:i]:
                problems.add(("product_ids", i), "distinct", f"The product id '{raw}' is listed twice.")
            elif key is None:
                problems.add(("product_ids", i), "exists", f"'{raw}' is not a product id of this catalog.")
            else:
                wanted[i] = key
        reviews_service = ProductReviewService(self.session)
        found = await reviews_service.live_products(principal.workspace_id, list(wanted.values()))
        for i, key in wanted.items():
            if key not in found:
                problems.add(("product_ids", i), "exists", f"No product with id '{raw_ids[i]}' in this catalog.")
        if problems:
            raise InvalidRequest(errors=problems.items)
        ids = list(wanted.values())
        rows = await reviews_service.first_of_products(principal.workspace_id, ids, MAX_REVIEWS_USED)
        if not rows:
            problems.add(("product_ids",), "exists", "These products have no stored reviews to summarise.")
            raise InvalidRequest(errors=problems.items)
        received = await reviews_service.count_of_products(principal.workspace_id, ids)
        return ReviewSummaryJobParams(
            **common,
            source="product_ids",
            product_ids=raw_ids,
            reviews=[row.text for row in rows],
            reviews_received=received,
        )

    async def submit_review_summary(self, principal: Principal, request: ReviewSummaryRequest) -> Job:
        return await self.enqueue(principal, REVIEW_SUMMARISER, await self.review_params(principal, request), request)

    async def review_job(self, principal: Principal, job_id: str) -> Job:
        return await self.job(principal, job_id, REVIEW_SUMMARISER)

    async def review_report(self, principal: Principal, job_id: str) -> list[dict[str, str]]:
        """The document's result: ``[highlights, barriers]``."""
        job = completed(await self.review_job(principal, job_id))
        return report_maps(summary_themes(job.result))

    async def stored_summary(self, principal: Principal, output_id: str) -> dict[str, Any]:
        """The summary stored under ``output_id`` (with ``job_id`` and ``updated_at``)."""
        principal.require(READ)
        row = await self.repo.summary_output(principal.workspace_id, output_id)
        if row is None:
            raise NotFound(f"No review summary is stored under output_id '{output_id}'.")
        return {**row.summary, "output_id": row.output_id, "job_id": row.job_id, "updated_at": row.updated_at}

    async def stored_report(self, principal: Principal, output_id: str) -> list[dict[str, str]]:
        return report_maps(summary_themes(await self.stored_summary(principal, output_id)))

    # --- tone of voice --------------------------------------------------------------------------

    async def submit_tone_analysis(self, principal: Principal, request: ToneAnalysisRequest) -> Job:
        principal.require(MANAGE)
        return await self.enqueue(principal, TONE_OF_VOICE_ANALYSIS, ToneJobParams(request=request), request)

    async def tone_job(self, principal: Principal, job_id: str) -> Job:
        return await self.job(principal, job_id, TONE_OF_VOICE_ANALYSIS)

    async def style_guide(self, principal: Principal, job_id: str) -> dict[str, str]:
        """The document's result: the style guide's twelve fields, in its order."""
        return style_guide_of(completed(await self.tone_job(principal, job_id)).result)


def summary_themes(summary: Any) -> list[dict[str, Any]]:
    themes = summary.get("themes") if isinstance(summary, dict) else None
    return [t for t in themes or [] if isinstance(t, dict)]


def style_guide_of(result: Any) -> dict[str, str]:
    guide = (result or {}).get("style_guide") if isinstance(result, dict) else None
    guide = guide if isinstance(guide, dict) else {}
    return {name: str(guide.get(name) or "") for name in STYLE_GUIDE_FIELDS}
