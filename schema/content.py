"""Content generation, content configurations and feedback.

Progress per product arrives through the existing ``jobProgress`` subscription: each per-product event has
``data: {"product_id": ..., "status": "completed" | "not_found"}``.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.accounts.principal import Principal
from domain.content.configs import SavedConfig
from domain.content.models import ContentFeedback as FeedbackModel
from domain.content.service import ordered_result
from domain.errors import DomainError
from domain.jobs.models import COMPLETED
from domain.jobs.models import Job as JobModel
from resolvers import content as content_resolvers
from resolvers.context import AppServices
from resolvers.graphql import Context
from schema.errors import UserError, call, user_errors
from schema.jobs import Job, JobStatus, job_id_arg
from schema.node import Node, node_resolver, raw_id_for, to_global_id

Info = strawberry.Info[Context, None]


@strawberry.enum
class ContentConfigScope(Enum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


@strawberry.type(description="A saved content configuration: PRIVATE ones are the workspace's, PUBLIC are built in.")
class ContentConfig(Node):
    config_id: str = strawberry.field(description="The id the REST surface uses (a UUID).")
    name: str
    description: str | None
    scope: ContentConfigScope
    content_config: JSON
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, config: SavedConfig) -> ContentConfig:
        return cls(
            id=to_global_id("ContentConfig", config.config_id),
            config_id=config.config_id,
            name=config.name,
            description=config.description,
            scope=ContentConfigScope(config.scope),
            content_config=cast(JSON, config.content_config),
            created_at=config.created_at,
            updated_at=config.updated_at,
        )


@node_resolver("ContentConfig")
async def _content_config_node(services: AppServices, principal: Principal, raw: str) -> Node:
    return ContentConfig.from_model(await content_resolvers.get_config(services, principal, raw))


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
    def from_entry(cls, product_id: str, entry: dict[str, Any]) -> ProductContentResult:
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
    def from_model(cls, job: JobModel) -> ContentGenerationResult:
        result = ordered_result(job) if job.status == COMPLETED and isinstance(job.result, dict) else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=job.error_message if job.error_code else job.message,
            products=[ProductContentResult.from_entry(pid, entry) for pid, entry in result.items()],
            used_config=cast(JSON, (job.params or {}).get("content_config") or {}),
        )


@strawberry.type
class ContentFeedback:
    feedback_id: int
    job_id: str
    product_id: str
    created_at: datetime

    @classmethod
    def from_model(cls, row: FeedbackModel) -> ContentFeedback:
        return cls(feedback_id=row.id, job_id=row.job_id, product_id=row.product_id, created_at=row.created_at)


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
class GenerateContentPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ContentConfigInput:
    name: str = strawberry.field(description="^[a-z]{1,20}$")
    content_config: JSON
    description: str | None = None


@strawberry.input(description="Only the fields given change.")
class UpdateContentConfigInput:
    name: str | None = None
    description: str | None = None
    clear_description: bool = False
    content_config: JSON | None = None


@strawberry.type
class ContentConfigPayload:
    content_config: ContentConfig | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteContentConfigPayload:
    deleted_config_id: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ContentFeedbackInput:
    job_id: strawberry.ID
    product_id: str
    initial_pdp_content: JSON
    corrected_pdp_content: JSON
    comment_history: JSON


@strawberry.type
class ContentFeedbackPayload:
    feedback: ContentFeedback | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def config_id_arg(value: str) -> str:
    return raw_id_for("ContentConfig", value)


@strawberry.type
class ContentQuery:
    @strawberry.field(description="Saved content configurations (at most 100), optionally of one scope.")
    async def content_configs(self, info: Info, scope: ContentConfigScope | None = None) -> list[ContentConfig]:
        p = await call(info.context.principal)
        rows = await call(
            lambda: content_resolvers.list_configs(info.context.services, p, scope.value if scope else None)
        )
        return [ContentConfig.from_model(c) for c in rows]

    @strawberry.field(description="One content configuration by its global id or config_id.")
    async def content_config(self, info: Info, id: strawberry.ID) -> ContentConfig:
        p = await call(info.context.principal)
        found = await call(lambda: content_resolvers.get_config(info.context.services, p, config_id_arg(id)))
        return ContentConfig.from_model(found)

    @strawberry.field(description="A content generation job's result as typed fields, per product.")
    async def content_generation_result(self, info: Info, job_id: strawberry.ID) -> ContentGenerationResult:
        p = await call(info.context.principal)
        job = await call(lambda: content_resolvers.get_generation_job(info.context.services, p, job_id_arg(job_id)))
        return ContentGenerationResult.from_model(job)


@strawberry.type
class ContentMutation:
    @strawberry.mutation(description="Submit a content generation job; follow it with jobProgress.")
    async def generate_content(self, info: Info, input: GenerateContentInput) -> GenerateContentPayload:
        p = await call(info.context.principal)
        try:
            job = await content_resolvers.submit_generation(info.context.services, p, input.body())
        except DomainError as exc:
            return GenerateContentPayload(user_errors=user_errors(exc, camel=False))
        return GenerateContentPayload(job=Job.from_model(job))

    @strawberry.mutation
    async def create_content_config(self, info: Info, input: ContentConfigInput) -> ContentConfigPayload:
        p = await call(info.context.principal)
        body = {"name": input.name, "description": input.description, "content_config": input.content_config}
        try:
            saved = await content_resolvers.create_config(info.context.services, p, body)
        except DomainError as exc:
            return ContentConfigPayload(user_errors=user_errors(exc, camel=False))
        return ContentConfigPayload(content_config=ContentConfig.from_model(saved))

    @strawberry.mutation
    async def update_content_config(
        self, info: Info, id: strawberry.ID, input: UpdateContentConfigInput
    ) -> ContentConfigPayload:
        p = await call(info.context.principal)
        try:
            saved = await content_resolvers.update_config(
                info.context.services,
                p,
                config_id_arg(id),
                name=input.name,
                description=input.description,
                clear_description=input.clear_description,
                content_config=cast(dict[str, Any] | None, input.content_config),
            )
        except DomainError as exc:
            return ContentConfigPayload(user_errors=user_errors(exc, camel=False))
        return ContentConfigPayload(content_config=ContentConfig.from_model(saved))

    @strawberry.mutation
    async def delete_content_config(self, info: Info, id: strawberry.ID) -> DeleteContentConfigPayload:
        p = await call(info.context.principal)
        try:
            deleted = await content_resolvers.delete_config(info.context.services, p, config_id_arg(id))
        except DomainError as exc:
            return DeleteContentConfigPayload(user_errors=user_errors(exc, camel=False))
        return DeleteContentConfigPayload(deleted_config_id=deleted)

    @strawberry.mutation(description="An editor's correction; later generations get it as an example.")
    async def submit_content_feedback(self, info: Info, input: ContentFeedbackInput) -> ContentFeedbackPayload:
        p = await call(info.context.principal)
        body = {
            "product_id": input.product_id,
            "initial_pdp_content": input.initial_pdp_content,
            "corrected_pdp_content": input.corrected_pdp_content,
            "comment_history": input.comment_history,
        }
        try:
            row = await content_resolvers.submit_feedback(info.context.services, p, job_id_arg(input.job_id), body)
        except DomainError as exc:
            return ContentFeedbackPayload(user_errors=user_errors(exc, camel=False))
        return ContentFeedbackPayload(feedback=ContentFeedback.from_model(row))
