"""The content-analysis job kinds (listed in ``domain.content.jobs.CONTENT_KINDS``)."""

from __future__ import annotations

from domain.content.analysis import review_job, tone_job
from domain.content.analysis.review_request import ReviewSummaryJobParams
from domain.content.analysis.tone_request import ToneJobParams
from domain.jobs.registry import JobKind

REVIEW_SUMMARISER = JobKind(
    name="content.analysis.review_summariser",
    params=ReviewSummaryJobParams,
    handler=review_job.run,
    description="Summarises up to 200 reviews into highlights and shopping barriers with their shares.",
)

TONE_OF_VOICE_ANALYSIS = JobKind(
    name="content.analysis.tone_of_voice",
    params=ToneJobParams,
    handler=tone_job.run,
    description="Writes a tone-of-voice style guide from up to 5 products' PDP contents.",
)
