"""Content generation rules: submitting a job (validation, the configuration it uses), reading it back,
and editors' feedback. Services never commit; the request owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.content.configs import MANAGE, ContentConfigService
from domain.content.content_jobs import ContentJobs, completed, params_of
from domain.content.defaults import BUILTIN_CONTENT_TYPES
from domain.content.documents import InvalidRequest
from domain.content.feedback import FeedbackCommand
from domain.content.jobs import CONTENT_GENERATION
from domain.content.models import ContentFeedback
from domain.content.repository import ContentRepository
from domain.content.request import GenerationJobParams, GenerationRequest, SavedConfigRef
from domain.db import UnitOfWork
from domain.errors import FieldError, Problems
from domain.jobs.models import Job


def _known_content_types(content_config: dict[str, Any]) -> set[str]:
    return set(BUILTIN_CONTENT_TYPES) | set(content_config.get("content_types") or {})


class ContentGenerationService(ContentJobs):
    """Needs a ``UnitOfWork`` for writes, a session for reads."""

    def __init__(self, uow_or_session: UnitOfWork | AsyncSession) -> None:
        super().__init__(uow_or_session)
        self.repo = ContentRepository(self.session)
        self.configs = ContentConfigService(self.session)

    # --- submit ---------------------------------------------------------------------------------

    async def prepare(self, principal: Principal, request: GenerationRequest) -> GenerationJobParams:
        """Resolve a parsed submit body's configuration and check what needs the workspace's state (the saved
        configuration it names, the content types the merged configuration knows); returns the job's params.
        Writes nothing."""
        principal.require(MANAGE)
        params = request.content_generation_params
        prefix = "content_generation_params"

        merged, saved = await self.configs.resolve(
            principal.workspace_id, params.saved_config_ref, params.content_config, (prefix, "content_config")
        )

        problems = Problems()
        known = _known_content_types(merged)
        for i, name in enumerate(params.content_types):
            if name not in known:
                message = (
                    f"Unknown content type '{name}': configure it in content_config.content_types or use one of "
                    f"{', '.join(sorted(BUILTIN_CONTENT_TYPES))}."
                )
                problems.add((prefix, "content_types", i), "in", message, {"values": sorted(known)})
        if problems:
            raise InvalidRequest(errors=problems.items)

        resolved = params.model_copy(update={"content_config": None, "content_config_id": None})
        return GenerationJobParams(
            request=request.model_copy(update={"content_generation_params": resolved}),
            content_config=merged,
            saved_config=SavedConfigRef(config_id=saved.config_id, name=saved.name) if saved else None,
            product_ids=request.product_id_list,
        )

    async def submit(self, principal: Principal, request: GenerationRequest) -> Job:
        return await self.enqueue(principal, CONTENT_GENERATION, await self.prepare(principal, request), request)

    # --- reads ----------------------------------------------------------------------------------

    async def get_job(self, principal: Principal, job_id: str) -> Job:
        return await self.job(principal, job_id, CONTENT_GENERATION)

    async def result(self, principal: Principal, job_id: str) -> dict[str, Any]:
        return ordered_result(completed(await self.get_job(principal, job_id)))

    async def used_config(self, principal: Principal, job_id: str) -> dict[str, Any]:
        job = await self.get_job(principal, job_id)
        return used_config(job)

    # --- feedback -------------------------------------------------------------------------------

    async def submit_feedback(self, principal: Principal, job_id: str, command: FeedbackCommand) -> ContentFeedback:
        principal.require(MANAGE)
        job = await self.get_job(principal, job_id)
        if command.product_id not in params_of(job).get("product_ids", []):
            message = f"Product '{command.product_id}' is not part of this job."
            raise InvalidRequest(errors=[FieldError(("product_id",), "exists", message)])
        row = ContentFeedback(
            workspace_id=principal.workspace_id,
            job_id=job.id,
            created_by_user_id=principal.user_id,
            created_at=utcnow(),
            **command.model_dump(),  # the command's fields are the row's
        )
        await self.repo.insert(row)
        return row


PRODUCT_KEYS = (
    "product_id",
    "product_name",
    "product_description",
    "brand",
    "market",
    "language",
    "variant_group_id",
    "keywords",
    "reviews",
    "attributes",
)


def ordered(mapping: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    first = {k: mapping[k] for k in order if k in mapping}
    return {**first, **{k: v for k, v in mapping.items() if k not in first}}


def used_config(job: Job) -> dict[str, Any]:
    """The configuration the job ran with (the saved one merged with the request's)."""
    return dict(params_of(job).get("content_config") or {})


def ordered_result(job: Job) -> dict[str, Any]:
    """The stored result in request order: products as submitted, content types as requested, product fields
    as documented (PostgreSQL's JSONB does not keep key order)."""
    params = params_of(job)
    types = ((params.get("request") or {}).get("content_generation_params") or {}).get("content_types") or []
    out: dict[str, Any] = {}
    for product_id, entry in ordered(dict(job.result or {}), params.get("product_ids") or []).items():
        entry = dict(entry)
        entry["content"] = ordered(dict(entry.get("content") or {}), types)
        entry["product"] = ordered(dict(entry.get("product") or {}), PRODUCT_KEYS)
        out[product_id] = ordered(entry, ("content", "product", "warnings"))
    return out
