"""Content generation: submitting a job and reading its outcome as typed fields.

Progress per product arrives through the ``jobProgress`` subscription: each per-product event has
``data: {"product_id": ..., "status": "completed" | "not_found"}``.
"""

from __future__ import annotations

from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from domain.content.request import parse_request
from domain.content.service import ContentGenerationService, ordered_result, used_config
from domain.jobs.models import COMPLETED
from domain.jobs.models import Job as JobModel
from schema.errors import Payload, payload_mutation
from schema.jobs import Job, JobStatus, job_id_arg
from schema.types import Info


@strawberry.type(description="One generated content type: ``text`` for a single text, ``items`` for bullets.")
class ContentItem:
    content_type: str
    text: str | None
    items: list[str] | None


@strawberry.type(description="A rule that could not be met (EXCEED_LENGTH, MISSING_CLAIM, ...).")
class ContentWarning:
    content_type: str | None
    code: str
    description: str


@strawberry.type
class ProductContentResult:
    product_id: str
    content: list[ContentItem]
    product: JSON
    warnings: list[ContentWarning]

    @classmethod
    def from_entry(cls, product_id: str, entry: dict[str, Any]) -> Self:
        items = [
            ContentItem(
                content_type=name,
                text=value if isinstance(value, str) else None,
                items=[str(v) for v in value] if isinstance(value, list) else None,
            )
            for name, value in (entry.get("content") or {}).items()
        ]
        warnings = [
            ContentWarning(content_type=w.get("content_type"), code=str(w["code"]), description=str(w["description"]))
            for w in entry.get("warnings") or []
        ]
        return cls(
            product_id=product_id, content=items, product=cast(JSON, entry.get("product") or {}), warnings=warnings
        )


@strawberry.type(description="A content generation job's outcome; ``products`` is empty until it has completed.")
class ContentGenerationResult:
    job_id: str
    status: JobStatus
    message: str | None
    products: list[ProductContentResult]
    used_config: JSON = strawberry.field(
        description="The configuration the job used (saved one merged with the request's)."
    )

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        result = ordered_result(job) if job.status == COMPLETED and isinstance(job.result, dict) else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=job.error_message if job.error_code else job.message,
            products=[ProductContentResult.from_entry(pid, entry) for pid, entry in result.items()],
            used_config=cast(JSON, used_config(job)),
        )


@strawberry.input(description="The content-services submit body, field by field (JSON where the document nests).")
class GenerateContentInput:
    content_generation_params: JSON = strawberry.field(
        description="market, channel, language, content_types, content_config (an object, or a saved "
        "configuration's id or name), content_config_id."
    )
    products: JSON | None = strawberry.field(default=None, description="Products in the document's shape.")
    product_ids: list[str] | None = strawberry.field(default=None, description="Catalog product ids.")
    skip_grouping: bool = False
    generation_model_name: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        """The input as the REST surface's submit body."""
        out: dict[str, Any] = {
            "content_generation_params": self.content_generation_params,
            "skip_grouping": self.skip_grouping,
        }
        optional = {
            "products": self.products,
            "product_ids": self.product_ids,
            "generation_model_name": self.generation_model_name,
            "callback_url": self.callback_url,
            "external_tracking_id": self.external_tracking_id,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@strawberry.type
class GenerateContentPayload(Payload):
    job: Job | None = None


@strawberry.type
class ContentGenerationQuery:
    @strawberry.field(description="A content generation job's result as typed fields, per product.")
    async def content_generation_result(self, info: Info, job_id: strawberry.ID) -> ContentGenerationResult:
        job = await info.context.read(lambda s, p: ContentGenerationService(s).get_job(p, job_id_arg(job_id)))
        return ContentGenerationResult.from_model(job)


@strawberry.type
class ContentGenerationMutation:
    @payload_mutation(description="Submit a content generation job; follow it with jobProgress.", camel=False)
    async def generate_content(self, info: Info, input: GenerateContentInput) -> GenerateContentPayload:
        principal = await info.context.principal()
        request = parse_request(input.body())
        job = await info.context.scope.write(lambda uow: ContentGenerationService(uow).submit(principal, request))
        return GenerateContentPayload(job=Job.from_model(job))
