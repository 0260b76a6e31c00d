"""Merging content configurations: the job that merges them and its typed result."""

from __future__ import annotations

from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from domain.content.merge import ConfigMergeService, ordered_merge_result, parse_merge_request
from domain.jobs.models import COMPLETED
from domain.jobs.models import Job as JobModel
from schema.errors import Payload, payload_mutation
from schema.jobs import Job, JobStatus, job_id_arg
from schema.types import Info


@strawberry.type(description="Two configurations disagree on a field: the later one (winner) replaced the value.")
class ContentConfigMergeWarning:
    code: str
    field: str = strawberry.field(description="The field's path, e.g. content_types.title.character_limit.")
    winner: int = strawberry.field(description="The index (in contentConfigs) of the configuration that won.")
    overridden: list[int] = strawberry.field(description="The indexes of the configurations it overrode.")
    description: str


@strawberry.type(description="A merge job's outcome; contentConfig is null until it has completed.")
class ContentConfigMergeResult:
    job_id: str
    status: JobStatus
    message: str | None
    content_config: JSON | None
    warnings: list[ContentConfigMergeWarning]

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        done = job.status == COMPLETED and isinstance(job.result, dict)
        result: dict[str, Any] = ordered_merge_result(job) if done else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=job.error_message if job.error_code else job.message,
            content_config=cast(JSON, result["content_config"]) if done else None,
            warnings=[ContentConfigMergeWarning(**w) for w in result.get("warnings") or []],
        )


@strawberry.input(description="The merge body of the content-services API, field by field.")
class MergeContentConfigsInput:
    content_configs: list[JSON] = strawberry.field(
        description="2 to 5 configurations, each an object or a saved configuration's config_id or name; later "
        "ones win where two disagree."
    )
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        """The input as the REST surface's body."""
        out: dict[str, Any] = {"content_config": self.content_configs}
        if self.callback_url is not None:
            out["callback_url"] = self.callback_url
        if self.external_tracking_id is not None:
            out["external_tracking_id"] = self.external_tracking_id
        return out


@strawberry.type
class MergeContentConfigsPayload(Payload):
    job: Job | None = None


@strawberry.type
class ContentConfigMergeQuery:
    @strawberry.field(description="A merge job's merged configuration and conflict warnings.")
    async def content_config_merge_result(self, info: Info, job_id: strawberry.ID) -> ContentConfigMergeResult:
        job = await info.context.read(lambda s, p: ConfigMergeService(s).get_job(p, job_id_arg(job_id)))
        return ContentConfigMergeResult.from_model(job)


@strawberry.type
class ContentConfigMergeMutation:
    @payload_mutation(
        description="Merge 2 to 5 content configurations in a job; follow it with jobProgress.", camel=False
    )
    async def merge_content_configs(self, info: Info, input: MergeContentConfigsInput) -> MergeContentConfigsPayload:
        principal = await info.context.principal()
        request = parse_merge_request(input.body())
        job = await info.context.scope.write(lambda uow: ConfigMergeService(uow).submit(principal, request))
        return MergeContentConfigsPayload(job=Job.from_model(job))
