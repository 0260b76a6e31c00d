"""Product classification (GPC and Google): classify now, or as a job whose status and result come together.

``POST /content-analysis/product-classification`` answers the GPC classification in the document's shape
(``segment``, ``family``, ``class``, ``brick``), followed by ``channel``, ``locale``, ``version``,
``confidence`` and ``warnings``; it also takes ``channel: "google"`` (not in the document).
"""

from __future__ import annotations

from typing import Literal, NotRequired

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.classification.request import (
    ClassificationJobRequest,
    ClassifyRequest,
    parse_classify_request,
    parse_job_request,
)
from domain.content.classification.service import (
    ProductClassificationService,
    answer_json,
    classify_now,
    job_message,
    job_result,
    record,
)
from domain.content.configs import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.content.dialect import WRITE, WRITE_DENIED, JobPath, SubmittedJson
from resolvers.rest.surface import Call, Router

PATH = "/content-analysis/product-classification"

router = Router(tags=["product classification"])


class NodeJson(TypedDict):
    code: int
    title: str


class WarningJson(TypedDict):
    code: str
    description: str


GpcClassificationJson = TypedDict(
    "GpcClassificationJson", {"segment": NodeJson, "family": NodeJson, "class": NodeJson, "brick": NodeJson}
)


class GoogleClassificationJson(TypedDict):
    category: NodeJson
    path: list[NodeJson]


class ClassificationResultJson(TypedDict):
    classification: GpcClassificationJson | GoogleClassificationJson
    channel: Literal["gpc", "google"]
    locale: str
    version: str
    confidence: float
    warnings: list[WarningJson]


ClassifyAnswerJson = TypedDict(
    "ClassifyAnswerJson",
    {
        "segment": NotRequired[NodeJson],
        "family": NotRequired[NodeJson],
        "class": NotRequired[NodeJson],
        "brick": NotRequired[NodeJson],
        "category": NotRequired[NodeJson],
        "path": NotRequired[list[NodeJson]],
        "channel": Literal["gpc", "google"],
        "locale": str,
        "version": str,
        "confidence": float,
        "warnings": list[WarningJson],
    },
)


class ClassificationJobJson(TypedDict):
    status: str
    message: str
    result: ClassificationResultJson | None


UNCLASSIFIABLE = {422: "The body is invalid, or no word of the product matches the taxonomy (unclassifiable)"}


@router.post(
    PATH,
    response=ClassifyAnswerJson,
    responses={**WRITE_DENIED, **UNCLASSIFIABLE},
    parse_body=parse_classify_request,
    **WRITE,
)
async def classify_product(call: Call, body: ClassifyRequest) -> Response:
    """Classify a product now: GPC segment, family, class and brick (or, with channel google, the Google
    category and its path), with a confidence."""
    principal = await call.principal()
    outcome = await classify_now(principal, body, call.scope.services.providers)
    if outcome.usage.total_tokens:
        await call.write(lambda uow, p: record(uow, p, outcome))
    return JSONResponse(answer_json(outcome))


@router.post(f"{PATH}/jobs", response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_job_request, **WRITE)
async def submit_product_classification(call: Call, body: ClassificationJobRequest) -> Response:
    """Submit a product classification job; its status and result come together from GET .../jobs/{job_id}."""
    job = await call.write(lambda uow, p: ProductClassificationService(uow).submit(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{PATH}/jobs/{{job_id}}", permission=READ, response=ClassificationJobJson)
async def product_classification_job(call: Call, path: JobPath) -> Response:
    """The job's status and, once it has completed, its result (null before)."""
    row = await call.read(lambda s, p: ProductClassificationService(s).get_job(p, path.job_id))
    return JSONResponse({"status": row.status, "message": job_message(row), "result": job_result(row)})
