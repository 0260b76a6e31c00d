"""Content analysis: the review summariser and tone-of-voice analysis jobs (submit, status, result), and the
review summaries stored by ``output_id`` (an addition to the document: it says a report is stored under that id,
not how to read it back)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.analysis.review_request import ReviewSummaryRequest, parse_review_request
from domain.content.analysis.service import AnalysisService
from domain.content.analysis.tone_request import ToneAnalysisRequest, parse_tone_request
from domain.content.configs import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.content.dialect import WRITE, WRITE_DENIED, JobPath, StatusJson, SubmittedJson, status_json
from resolvers.rest.surface import Call, Router

REVIEWS = "/content-analysis/review-summariser"
TONE = "/content-analysis/tone-of-voice"
NOT_COMPLETED = {409: "The job has not completed (detail.status says where it stands)"}

router = Router(tags=["content analysis"])


class StyleGuideJson(TypedDict):
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


class OutputPath(BaseModel):
    output_id: str = Field(description="The output_id the review summary was submitted with.")


@router.post(
    f"{REVIEWS}/jobs", response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_review_request, **WRITE
)
async def submit_review_summary(call: Call, body: ReviewSummaryRequest) -> Response:
    """Summarise reviews (review_texts, or the stored reviews of product_ids; the first 200 count) into
    highlights and shopping barriers; the report is also stored under output_id."""
    job = await call.write(lambda uow, p: AnalysisService(uow).submit_review_summary(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{REVIEWS}/jobs/{{job_id}}/status", permission=READ, response=StatusJson)
async def review_summary_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: AnalysisService(s).review_job(p, path.job_id))
    return JSONResponse(status_json(job))


@router.get(
    f"{REVIEWS}/jobs/{{job_id}}/result", permission=READ, response=list[dict[str, str]], responses=NOT_COMPLETED
)
async def review_summary_result(call: Call, path: JobPath) -> Response:
    """[highlights, shopping barriers]: each {"N. Theme": "x.y%"}, ranked by share, Other last; the shares of
    both add up to 100%."""
    report = await call.read(lambda s, p: AnalysisService(s).review_report(p, path.job_id))
    return JSONResponse(report)


@router.get(f"{REVIEWS}/outputs/{{output_id}}", permission=READ, response=list[dict[str, str]])
async def stored_review_summary(call: Call, path: OutputPath) -> Response:
    """The latest review summary stored under output_id, in the result's shape."""
    report = await call.read(lambda s, p: AnalysisService(s).stored_report(p, path.output_id))
    return JSONResponse(report)


@router.post(f"{TONE}/jobs", response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_tone_request, **WRITE)
async def submit_tone_analysis(call: Call, body: ToneAnalysisRequest) -> Response:
    """Extract a tone-of-voice style guide from 1 to 5 products' PDP contents."""
    job = await call.write(lambda uow, p: AnalysisService(uow).submit_tone_analysis(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{TONE}/jobs/{{job_id}}/status", permission=READ, response=StatusJson)
async def tone_analysis_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: AnalysisService(s).tone_job(p, path.job_id))
    return JSONResponse(status_json(job))


@router.get(f"{TONE}/jobs/{{job_id}}/result", permission=READ, response=StyleGuideJson, responses=NOT_COMPLETED)
async def tone_analysis_result(call: Call, path: JobPath) -> Response:
    """The style guide, in the document's shape."""
    guide = await call.read(lambda s, p: AnalysisService(s).style_guide(p, path.job_id))
    return JSONResponse(guide)
