from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.errors import DomainError
from resolvers import jobs as job_resolvers
from resolvers.context import RequestContext
from schema.errors import call, to_graphql_error
from schema.jobs import JobEvent, job_id_arg

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class CoreSubscription:
    @strawberry.subscription(
        description="The job's current state first, then every later event in order; completes after the "
        "terminal event."
    )
    async def job_progress(self, info: Info, id: strawberry.ID) -> AsyncGenerator[JobEvent, None]:
        p = await call(info.context.principal)
        try:
            async for message in job_resolvers.stream_job(info.context.services, p, job_id_arg(id)):
                yield JobEvent.from_message(message)
        except DomainError as exc:
            raise to_graphql_error(exc) from None

    @strawberry.subscription(description="Every event of every job of the workspace, optionally by kind.")
    async def job_events(self, info: Info, kinds: list[str] | None = None) -> AsyncGenerator[JobEvent, None]:
        p = await call(info.context.principal)
        try:
            async for message in job_resolvers.stream_workspace(info.context.services, p, kinds):
                yield JobEvent.from_message(message)
        except DomainError as exc:
            raise to_graphql_error(exc) from None
