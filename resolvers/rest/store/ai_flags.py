"""The store writes' AI flags (``generate_ai_content``, ``generate_seo_keyword``, ``generate_images`` with
``image_source``): the jobs they start (``domain.store.ai_flags``), in the write's own transaction, and how the
answer says so. The row is answered as always (201 on create), with ``meta.ai_jobs`` listing each started
job: its id (follow it over GraphQL: ``job(id:)`` and the ``jobProgress`` subscription), kind, status, the
credits it was charged and, for images, the slots and image source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, NotRequired, TypeVar

from typing_extensions import TypedDict

from domain.store.ai_flags import AiEnv, AiRequest, QueuedWork
from domain.store.commands import AI_FLAGS
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call

T = TypeVar("T")
NOT_FIELDS = {*AI_FLAGS, "generate_seo_keyword", "article_categories", "slug"}


class QueuedJobJson(TypedDict):
    id: str
    kind: str
    status: str
    credits: int
    slots: NotRequired[list[str]]
    image_source: NotRequired[str]


class AiJobsMeta(TypedDict):
    ai_jobs: list[QueuedJobJson]


class DataWithJobs(TypedDict, Generic[T]):
    """``{"data": ...}``, and ``meta.ai_jobs`` when the write's AI flags started jobs."""

    data: T
    meta: NotRequired[AiJobsMeta]


def ai_env(call: Call) -> AiEnv:
    services = call.scope.services
    return AiEnv(
        providers=services.providers,
        public_base=services.public_base(call.base_url),
        chips_per_credit=services.chips_per_credit,
        plans=services.plans,
    )


def ai_request(body: Any, *, fields: Sequence[str]) -> AiRequest:
    """What a write body asks for; ``keep`` names the row's own fields it set (``fields``: the row's columns)."""
    sent = body.model_fields_set
    return AiRequest(
        generate_ai_content=bool(body.generate_ai_content),
        generate_images=body.generate_images,
        image_source=body.image_source,
        seo_keyword=getattr(body, "generate_seo_keyword", None) or None,
        keep=[name for name in fields if name in sent and name not in NOT_FIELDS],
    )


def job_json(work: QueuedWork) -> QueuedJobJson:
    out: QueuedJobJson = {
        "id": f"job_{work.job.id}",
        "kind": work.job.kind,
        "status": work.job.status,
        "credits": work.credits,
    }
    if work.image_source is not None:
        out["slots"] = list(work.slots)
        out["image_source"] = work.image_source
    return out


def answer(payload: Any, jobs: Sequence[QueuedWork], status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"data": payload}
    if jobs:
        body["meta"] = {"ai_jobs": [job_json(work) for work in jobs]}
    return JSONResponse(body, status_code=status)
