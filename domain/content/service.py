"""Content generation rules: submitting a job (validation, the configuration it uses), reading it back,
and editors' feedback. Services never commit; the request owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.accounts.principal import Principal
from domain.ai.service import resolve_model
from domain.base import utcnow
from domain.content.config_schema import BAD_REQUEST, deep_merge, validate_content_config
from domain.content.configs import MANAGE, READ, ContentConfigService
from domain.content.defaults import BUILTIN_CONTENT_TYPES
from domain.content.models import ContentFeedback
from domain.content.repository import ContentRepository
from domain.content.request import parse_request, product_ids_of
from domain.db import UnitOfWork
from domain.errors import Conflict, InvalidInput, NotFound
from domain.jobs.models import COMPLETED, Job
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService, parse_job_id

KIND = "content.generation"
JOB_NOT_FOUND = "Job not found."
FEEDBACK_EXAMPLES = 3  # the workspace's latest corrections shown to later generations


class JobNotFinished(Conflict):
    """The result was asked for before the job completed. ``status`` says where it stands."""

    code = "job_not_completed"

    def __init__(self, job: Job) -> None:
        if job.status == "failed":
            message = f"The job failed, so it has no result: {job.error_message or job.message or 'unknown error'}"
        elif job.status == "cancelled":
            message = "The job was cancelled, so it has no result."
        else:
            message = f"The job is {job.status}; its result is available once its status is completed."
        super().__init__(message)
        self.job_status = job.status


def _known_content_types(content_config: dict[str, Any]) -> set[str]:
    return set(BUILTIN_CONTENT_TYPES) | set(content_config.get("content_types") or {})


class ContentGenerationService:
    """Needs a ``UnitOfWork`` for writes, a session for reads."""

    def __init__(self, uow_or_session: UnitOfWork | Any) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.session = uow_or_session.session
        else:
            self.uow = None
            self.session = uow_or_session
        self.repo = ContentRepository(self.session)
        self.configs = ContentConfigService(self.session)

    # --- submit ---------------------------------------------------------------------------------

    async def prepare(self, principal: Principal, body: Any) -> dict[str, Any]:
        """Validate a submit body and resolve its configuration; returns the job's params. Writes nothing."""
        principal.require(MANAGE)
        request = parse_request(body)
        params = request.content_generation_params
        prefix = "content_generation_params"

        saved = None
        ref = params.content_config_id or (params.content_config if isinstance(params.content_config, str) else None)
        if ref is not None:
            field = f"{prefix}.content_config_id" if params.content_config_id else f"{prefix}.content_config"
            try:
                saved = await self.configs.find(principal.workspace_id, ref)
            except NotFound:
                raise InvalidInput.field(
                    field, f"No saved configuration with id or name '{ref}'.", code=BAD_REQUEST
                ) from None
        override: dict[str, Any] = {}
        if isinstance(params.content_config, dict):
            override = validate_content_config(params.content_config, f"{prefix}.content_config")
        merged = deep_merge(saved.content_config if saved else {}, override)
        merged = validate_content_config(merged, f"{prefix}.content_config")

        known = _known_content_types(merged)
        errors: dict[str, list[str]] = {}
        for i, name in enumerate(params.content_types):
            if name not in known:
                errors[f"{prefix}.content_types[{i}]"] = [
                    f"Unknown content type '{name}': configure it in content_config.content_types or use one of "
                    f"{', '.join(sorted(BUILTIN_CONTENT_TYPES))}."
                ]
        if errors:
            field, messages = next(iter(errors.items()))
            raise InvalidInput(f"Invalid request body: {field}: {messages[0]}", errors=errors, code=BAD_REQUEST)
        resolve_model(request.generation_model_name, "validation-only")  # refuses undocumented names

        raw = request.model_dump(mode="json", exclude_none=True)
        raw["content_generation_params"].pop("content_config", None)
        raw["content_generation_params"].pop("content_config_id", None)
        return {
            "request": raw,
            "content_config": merged,
            "saved_config": {"config_id": saved.config_id, "name": saved.name} if saved else None,
            "product_ids": product_ids_of(request),
        }

    async def submit(self, principal: Principal, body: Any) -> Job:
        if self.uow is None:
            raise RuntimeError("submitting needs a UnitOfWork")
        params = await self.prepare(principal, body)
        request = params["request"]
        return await JobService(self.uow).create(
            principal,
            kind=KIND,
            params=params,
            callback_url=request.get("callback_url"),
            external_tracking_id=request.get("external_tracking_id"),
            message="Queued",
        )

    # --- reads ----------------------------------------------------------------------------------

    async def get_job(self, principal: Principal, job_id: str) -> Job:
        principal.require(READ)
        job = await JobsRepository(self.session).get(parse_job_id(job_id), workspace_id=principal.workspace_id)
        if job is None or job.kind != KIND:
            raise NotFound(JOB_NOT_FOUND)
        return job

    async def result(self, principal: Principal, job_id: str) -> dict[str, Any]:
        job = await self.get_job(principal, job_id)
        if job.status != COMPLETED:
            raise JobNotFinished(job)
        return ordered_result(job)

    async def used_config(self, principal: Principal, job_id: str) -> dict[str, Any]:
        job = await self.get_job(principal, job_id)
        return dict((job.params or {}).get("content_config") or {})

    # --- feedback -------------------------------------------------------------------------------

    async def submit_feedback(self, principal: Principal, job_id: str, body: Any) -> ContentFeedback:
        principal.require(MANAGE)
        job = await self.get_job(principal, job_id)
        if not isinstance(body, dict):
            raise InvalidInput.field("body", "The request body must be a JSON object.", code=BAD_REQUEST)
        errors: dict[str, list[str]] = {}
        product_id = body.get("product_id")
        if not isinstance(product_id, str) or not product_id:
            errors["product_id"] = ["Required; a non-empty string."]
        elif product_id not in (job.params or {}).get("product_ids", []):
            errors["product_id"] = [f"Product '{product_id}' is not part of this job."]
        for key in ("initial_pdp_content", "corrected_pdp_content"):
            problem = _pdp_problem(body.get(key))
            if problem:
                errors[key] = [problem]
        history = body.get("comment_history")
        if not isinstance(history, list):
            errors["comment_history"] = ["Required; an array of comments."]
        else:
            for i, item in enumerate(history):
                problem = _comment_problem(item)
                if problem:
                    errors[f"comment_history[{i}]"] = [problem]
        unknown = sorted(set(body) - {"product_id", "initial_pdp_content", "corrected_pdp_content", "comment_history"})
        for key in unknown:
            errors[key] = ["Unknown field."]
        if errors:
            field, messages = next(iter(errors.items()))
            raise InvalidInput(f"Invalid request body: {field}: {messages[0]}", errors=errors, code=BAD_REQUEST)
        row = ContentFeedback(
            workspace_id=principal.workspace_id,
            job_id=job.id,
            product_id=product_id,
            initial_pdp_content=body["initial_pdp_content"],
            corrected_pdp_content=body["corrected_pdp_content"],
            comment_history=history,
            created_by_user_id=principal.user_id,
            created_at=utcnow(),
        )
        self.repo.add(row)
        await self.repo.flush()
        return row

    async def feedback_examples(self, workspace_id: str, limit: int = FEEDBACK_EXAMPLES) -> list[ContentFeedback]:
        return await self.repo.latest_feedback(workspace_id, limit=limit)


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


def _ordered(mapping: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    first = {k: mapping[k] for k in order if k in mapping}
    return {**first, **{k: v for k, v in mapping.items() if k not in first}}


def ordered_result(job: Job) -> dict[str, Any]:
    """The stored result in request order: products as submitted, content types as requested, product fields
    as documented (PostgreSQL's JSONB does not keep key order)."""
    params = job.params or {}
    types = ((params.get("request") or {}).get("content_generation_params") or {}).get("content_types") or []
    out: dict[str, Any] = {}
    for product_id, entry in _ordered(dict(job.result or {}), params.get("product_ids") or []).items():
        entry = dict(entry)
        entry["content"] = _ordered(dict(entry.get("content") or {}), types)
        entry["product"] = _ordered(dict(entry.get("product") or {}), PRODUCT_KEYS)
        out[product_id] = _ordered(entry, ("content", "product", "warnings"))
    return out


def _pdp_problem(value: Any) -> str | None:
    """PDP content: an object whose values are strings or arrays of strings."""
    if not isinstance(value, dict):
        return "Required; an object of content type to text (or array of texts)."
    for key, item in value.items():
        if isinstance(item, str):
            continue
        if isinstance(item, list) and all(isinstance(x, str) for x in item):
            continue
        return f"'{key}' must be a string or an array of strings."
    return None


def _comment_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "Each comment must be an object."
    for key in ("content_type", "feedback"):
        if not isinstance(item.get(key), str) or not item.get(key):
            return f"'{key}' is required and must be a non-empty string."
    initial = item.get("initial_content")
    if initial is not None and not isinstance(initial, str | list):
        return "'initial_content' must be a string or an array of strings."
    return None
