"""The client's job list: every content-service job of the workspace (kinds ``content.*``), newest first."""

from __future__ import annotations

import strawberry

from domain.content.job_list import CONTENT_PREFIX, ContentJobList
from domain.errors import InvalidInput
from schema.jobs import Job
from schema.relay import Connection, keyset_request
from schema.types import Info


@strawberry.type
class ContentJobsQuery:
    @strawberry.field(
        description="The workspace's content-service jobs, newest first (the REST job list's), optionally of some "
        "kinds (content.generation, content.config_merge, ...)."
    )
    async def content_jobs(
        self, info: Info, first: int = 20, after: str | None = None, kinds: list[str] | None = None
    ) -> Connection[Job]:
        for index, kind in enumerate(kinds or []):
            if not kind.startswith(CONTENT_PREFIX):
                raise InvalidInput.field(("kinds", index), f"'{kind}' is not a content-service job kind (content.*).")
        request = keyset_request(first, after)
        principal = await info.context.principal()
        tokens = info.context.services.tokens
        page = await info.context.scope.read(
            lambda s: ContentJobList(s, tokens).page(
                principal, request.after, limit=request.limit, kinds=kinds or None, count=True, field="after"
            )
        )
        return Connection.of(page, Job.from_model)
