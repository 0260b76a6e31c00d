"""Content analysis: review-summariser and tone-of-voice jobs, started by mutations and read back as typed fields,
and review summaries read again by their ``outputId``. Progress arrives through the ``jobProgress``
subscription."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from domain.content.analysis.review_report import BARRIER, HIGHLIGHT
from domain.content.analysis.review_request import parse_review_request
from domain.content.analysis.service import AnalysisService, style_guide_of, summary_themes
from domain.content.analysis.tone_request import parse_tone_request
from domain.content.configs import MANAGE
from domain.jobs.models import COMPLETED
from domain.jobs.models import Job as JobModel
from schema.errors import Payload, payload_mutation
from schema.jobs import Job, JobStatus, job_id_arg
from schema.types import Info


@strawberry.type(description="A theme of a review summary, with its share of the reviews and the reviews behind it.")
class ReviewTheme:
    rank: int
    name: str
    share: float = strawberry.field(description="Percent of the reviews used, rounded to tenths.")
    share_text: str = strawberry.field(description='As the REST result prints it: "8.3%".')
    review_indexes: list[int] = strawberry.field(description="The reviews (from 0, in the order used) behind it.")
    is_other: bool = strawberry.field(description="The Other bucket: thin themes and reviews without a theme.")

    @classmethod
    def from_dict(cls, theme: dict[str, Any]) -> Self:
        tenths = round(float(theme.get("share") or 0) * 10)
        return cls(
            rank=int(theme.get("rank") or 0),
            name=str(theme.get("name") or ""),
            share=tenths / 10,
            share_text=f"{tenths // 10}.{tenths % 10}%",
            review_indexes=[int(r) for r in theme.get("reviews") or []],
            is_other=bool(theme.get("other")),
        )


@strawberry.type(description="Highlights and shopping barriers, ranked by share; both together add up to 100%.")
class ReviewSummary:
    highlights: list[ReviewTheme]
    barriers: list[ReviewTheme]
    reviews_used: int = strawberry.field(description="At most the first 200 reviews count.")
    reviews_received: int
    method: str = strawberry.field(description="model (one structured call) or offline (extractive).")

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> Self:
        themes = sorted(summary_themes(summary), key=lambda t: int(t.get("rank") or 0))
        return cls(
            highlights=[ReviewTheme.from_dict(t) for t in themes if t.get("kind") == HIGHLIGHT],
            barriers=[ReviewTheme.from_dict(t) for t in themes if t.get("kind") == BARRIER],
            reviews_used=int(summary.get("reviews_used") or 0),
            reviews_received=int(summary.get("reviews_received") or 0),
            method=str(summary.get("method") or ""),
        )


def _message(job: JobModel) -> str | None:
    return job.error_message if job.error_code else job.message


@strawberry.type(description="A review-summariser job's outcome; ``summary`` is null until it has completed.")
class ReviewSummaryResult:
    job_id: str
    status: JobStatus
    message: str | None
    output_id: str | None
    summary: ReviewSummary | None

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        done = job.status == COMPLETED and isinstance(job.result, dict)
        params = job.params if isinstance(job.params, dict) else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=_message(job),
            output_id=params.get("output_id"),
            summary=ReviewSummary.from_summary(cast(dict[str, Any], job.result)) if done else None,
        )


@strawberry.type(description="A review summary as stored under its output id (the latest completed job's).")
class StoredReviewSummary:
    output_id: str
    job_id: str | None
    updated_at: datetime
    summary: ReviewSummary


@strawberry.type(description="A tone-of-voice style guide, in the document's fields.")
class ToneOfVoiceStyleGuide:
    tone_of_voice: str
    writing_style: str
    target_audience: str
    grammar: str
    emotional_tone: str
    punctuation: str
    language: str
    pitch: str
    choice_of_words: str
    use_of_emoticons: str
    pattern: str
    industry: str


@strawberry.type(description="A tone-of-voice analysis job's outcome; ``styleGuide`` is null until it has completed.")
class ToneOfVoiceAnalysisResult:
    job_id: str
    status: JobStatus
    message: str | None
    style_guide: ToneOfVoiceStyleGuide | None
    measures: JSON | None = strawberry.field(description="The stylometry the guide rests on.")
    method: str | None

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        done = job.status == COMPLETED and isinstance(job.result, dict)
        result = cast(dict[str, Any], job.result) if done else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=_message(job),
            style_guide=ToneOfVoiceStyleGuide(**style_guide_of(result)) if done else None,
            measures=cast(JSON, result.get("measures")) if done else None,
            method=result.get("method") if done else None,
        )


@strawberry.input(description="The Review Summariser submit body, field by field.")
class SummariseReviewsInput:
    market: str
    language: str
    product_desc: str
    output_id: str
    review_texts: list[str] | None = None
    product_ids: list[str] | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        """The input as the REST surface's submit body."""
        out: dict[str, Any] = {
            "market": self.market,
            "language": self.language,
            "product_desc": self.product_desc,
            "output_id": self.output_id,
        }
        optional = {
            "review_texts": self.review_texts,
            "product_ids": self.product_ids,
            "callback_url": self.callback_url,
            "external_tracking_id": self.external_tracking_id,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@strawberry.input(description="The Tone of Voice - Content Analysis submit body, field by field.")
class AnalyseToneOfVoiceInput:
    items: JSON = strawberry.field(description="1 to 5 {product, pdp_contents} objects in the document's shape.")
    analysis_model_name: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"items": self.items}
        optional = {
            "analysis_model_name": self.analysis_model_name,
            "callback_url": self.callback_url,
            "external_tracking_id": self.external_tracking_id,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@strawberry.type
class AnalysisJobPayload(Payload):
    job: Job | None = None


@strawberry.type
class ContentAnalysisQuery:
    @strawberry.field(description="A review-summariser job's outcome as typed fields.")
    async def review_summary_result(self, info: Info, job_id: strawberry.ID) -> ReviewSummaryResult:
        job = await info.context.read(lambda s, p: AnalysisService(s).review_job(p, job_id_arg(job_id)))
        return ReviewSummaryResult.from_model(job)

    @strawberry.field(description="The review summary stored under an output id.")
    async def review_summary(self, info: Info, output_id: str) -> StoredReviewSummary:
        stored = await info.context.read(lambda s, p: AnalysisService(s).stored_summary(p, output_id))
        return StoredReviewSummary(
            output_id=str(stored["output_id"]),
            job_id=stored.get("job_id"),
            updated_at=stored["updated_at"],
            summary=ReviewSummary.from_summary(stored),
        )

    @strawberry.field(description="A tone-of-voice analysis job's outcome as typed fields.")
    async def tone_of_voice_analysis_result(self, info: Info, job_id: strawberry.ID) -> ToneOfVoiceAnalysisResult:
        job = await info.context.read(lambda s, p: AnalysisService(s).tone_job(p, job_id_arg(job_id)))
        return ToneOfVoiceAnalysisResult.from_model(job)


@strawberry.type
class ContentAnalysisMutation:
    @payload_mutation(
        description="Summarise reviews into highlights and shopping barriers; follow it with jobProgress.", camel=False
    )
    async def summarise_reviews(self, info: Info, input: SummariseReviewsInput) -> AnalysisJobPayload:
        principal = await info.context.require(MANAGE)  # permission before input
        request = parse_review_request(input.body())
        job = await info.context.scope.write(lambda uow: AnalysisService(uow).submit_review_summary(principal, request))
        return AnalysisJobPayload(job=Job.from_model(job))

    @payload_mutation(
        description="Extract a tone-of-voice style guide from PDPs; follow it with jobProgress.", camel=False
    )
    async def analyse_tone_of_voice(self, info: Info, input: AnalyseToneOfVoiceInput) -> AnalysisJobPayload:
        principal = await info.context.require(MANAGE)
        request = parse_tone_request(input.body())
        job = await info.context.scope.write(lambda uow: AnalysisService(uow).submit_tone_analysis(principal, request))
        return AnalysisJobPayload(job=Job.from_model(job))
