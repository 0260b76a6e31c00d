"""Product classification rules: classifying now (the synchronous operation), submitting a classification
job and reading it back. Services never commit; the request (or the job) owns the transaction."""

from __future__ import annotations

from typing import Any

from domain.accounts.principal import Principal
from domain.ai.ports import ProviderSet
from domain.ai.service import record_usage
from domain.content.classification.classifier import OFFLINE, Outcome, classify, result_json
from domain.content.classification.jobs import PRODUCT_CLASSIFICATION
from domain.content.classification.request import (
    ClassificationJobParams,
    ClassificationJobRequest,
    ClassifyRequest,
    resolved_locale,
)
from domain.content.configs import MANAGE
from domain.content.content_jobs import ContentJobs
from domain.db import UnitOfWork
from domain.jobs.models import COMPLETED, FAILED, Job


async def classify_now(principal: Principal, request: ClassifyRequest, providers: ProviderSet) -> Outcome:
    """Classifies at once. Opens no transaction: a provider call is not made while holding a connection."""
    principal.require(MANAGE)
    return await classify(
        request.product(), request.channel, resolved_locale(request.channel, request.locale), providers
    )


async def record(uow: UnitOfWork, principal: Principal, outcome: Outcome) -> None:
    """The tokens a synchronous classification used, in the workspace's usage ledger."""
    if outcome.model != OFFLINE:
        await record_usage(uow, principal.workspace_id, None, outcome.model, outcome.usage)


def answer_json(outcome: Outcome) -> dict[str, Any]:
    """The synchronous answer: the document's classification (``segment`` ... ``brick`` for GPC), then the
    channel, locale, taxonomy version, confidence and warnings."""
    meta = result_json(outcome)
    classification: dict[str, Any] = meta.pop("classification")
    return {**classification, **meta}


class ProductClassificationService(ContentJobs):
    """Needs a ``UnitOfWork`` to submit, a session to read."""

    async def submit(self, principal: Principal, request: ClassificationJobRequest) -> Job:
        principal.require(MANAGE)
        params = ClassificationJobParams(
            product=request.product, channel=request.channel, locale=resolved_locale(request.channel, request.locale)
        )
        return await self.enqueue(principal, PRODUCT_CLASSIFICATION, params, request)

    async def get_job(self, principal: Principal, job_id: str) -> Job:
        return await self.job(principal, job_id, PRODUCT_CLASSIFICATION)


def job_result(job: Job) -> dict[str, Any] | None:
    """The stored result in the document's key order (PostgreSQL's JSONB does not keep it), once completed."""
    if job.status != COMPLETED or not isinstance(job.result, dict):
        return None
    stored = job.result
    order = ("classification", "channel", "locale", "version", "confidence", "warnings")
    out = {k: stored[k] for k in order if k in stored}
    classification = stored.get("classification")
    if isinstance(classification, dict):
        keys = ("segment", "family", "class", "brick") if "brick" in classification else ("category", "path")
        out["classification"] = {k: classification[k] for k in keys if k in classification}
    return out


def job_message(job: Job) -> str:
    if job.status == FAILED:
        return f"The job has failed: {job.error_message or job.message or 'unknown error'}"
    if job.status == COMPLETED:
        return "The job has completed successfully."
    return job.message or f"The job is {job.status}."
