"""What every content-service job kind shares: submitting one (``ContentJobs.enqueue``, with the body's
``callback_url`` and ``external_tracking_id``), finding the caller's job of a kind (another kind's id, or
another workspace's, is not found) and its result once it has completed."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.content.configs import READ
from domain.db import UnitOfWork
from domain.errors import Conflict, NotFound
from domain.jobs.models import COMPLETED, Job
from domain.jobs.registry import JobKind
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService, parse_job_id

JOB_NOT_FOUND = "Job not found."


class JobNotFinished(Conflict, code="job_not_completed"):
    """The result was asked for before the job completed. ``job_status`` says where it stands."""

    def __init__(self, job: Job) -> None:
        if job.status == "failed":
            message = f"The job failed, so it has no result: {job.error_message or job.message or 'unknown error'}"
        elif job.status == "cancelled":
            message = "The job was cancelled, so it has no result."
        else:
            message = f"The job is {job.status}; its result is available once its status is completed."
        super().__init__(message)
        self.job_status = job.status


async def get_content_job(
    session: AsyncSession, principal: Principal, job_id: str, *kinds: JobKind[Any], permission: str = READ
) -> Job:
    """The caller's job of one of ``kinds``; ``NotFound`` for any other id."""
    principal.require(permission)
    job = await JobsRepository(session).get(parse_job_id(job_id), workspace_id=principal.workspace_id)
    if job is None or job.kind not in {kind.name for kind in kinds}:
        raise NotFound(JOB_NOT_FOUND)
    return job


def completed(job: Job) -> Job:
    """The job, when it has completed; ``JobNotFinished`` otherwise."""
    if job.status != COMPLETED:
        raise JobNotFinished(job)
    return job


def params_of(job: Job) -> dict[str, Any]:
    """The job's stored params, read leniently: they are validated when the job runs, not every time it is
    shown."""
    return job.params if isinstance(job.params, dict) else {}


class Submitted(Protocol):
    """What every content-service submit body carries for the job backbone."""

    @property
    def callback_url(self) -> str | None: ...

    @property
    def external_tracking_id(self) -> str | None: ...


class ContentJobs:
    """The base of the content services: a ``UnitOfWork`` to submit, a session to read. Services never commit;
    the request owns the transaction."""

    def __init__(self, uow_or_session: UnitOfWork | AsyncSession) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.session: AsyncSession = uow_or_session.session
        else:
            self.uow = None
            self.session = uow_or_session

    async def enqueue(self, principal: Principal, kind: JobKind[Any], params: BaseModel, body: Submitted) -> Job:
        """A queued job of ``kind`` with ``params``, calling back and tracked as the submit ``body`` asks."""
        if self.uow is None:
            raise RuntimeError("submitting needs a UnitOfWork")
        return await JobService(self.uow).create(
            principal,
            kind=kind,
            params=params,
            callback_url=body.callback_url,
            external_tracking_id=body.external_tracking_id,
            message="Queued",
        )

    async def job(self, principal: Principal, job_id: str, *kinds: JobKind[Any]) -> Job:
        """The caller's job of one of ``kinds``; ``NotFound`` for any other id."""
        return await get_content_job(self.session, principal, job_id, *kinds)
