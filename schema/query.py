from __future__ import annotations

import strawberry

from domain.accounts.principal import Principal
from domain.errors import NotFound
from domain.jobs.service import encode_cursor
from resolvers import accounts as account_resolvers
from resolvers import jobs as job_resolvers
from resolvers.context import AppServices, RequestContext
from schema.accounts import User, Viewer, Workspace
from schema.errors import call
from schema.jobs import Job, JobConnection, JobEdge, JobStatus, PageInfo, job_id_arg
from schema.node import Node, node_resolver, resolve_node

Info = strawberry.Info[RequestContext, None]


@node_resolver("Job")
async def _job_node(services: AppServices, principal: Principal, raw: str) -> Node:
    return Job.from_model(await job_resolvers.get_job(services, principal, raw))


@node_resolver("Workspace")
async def _workspace_node(services: AppServices, principal: Principal, raw: str) -> Node:
    if raw != principal.workspace_id:
        raise NotFound("No object with this id.")
    return Workspace.from_model(await account_resolvers.get_workspace(services, principal))


@node_resolver("User")
async def _user_node(services: AppServices, principal: Principal, raw: str) -> Node:
    members = await account_resolvers.list_members(services, principal) if raw.isdigit() else []
    user = await account_resolvers.get_user(services, int(raw)) if any(m.user_id == int(raw) for m in members) else None
    if user is None:
        raise NotFound("No object with this id.")
    return User.from_model(user)


MAX_PAGE = 100


@strawberry.type
class CoreQuery:
    @strawberry.field(description="The caller.")
    async def viewer(self, info: Info) -> Viewer:
        p = await call(info.context.principal)
        return Viewer(
            kind=p.kind,
            role=p.role,
            scopes=list(p.scopes),
            permissions=sorted(p.permissions),
            user_id=p.user_id,
            workspace_id=p.workspace_id,
        )

    @strawberry.field(description="The caller's workspace.")
    async def workspace(self, info: Info) -> Workspace:
        p = await call(info.context.principal)
        return Workspace.from_model(await call(lambda: account_resolvers.get_workspace(info.context.services, p)))

    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        p = await call(info.context.principal)
        return await call(lambda: resolve_node(info.context.services, p, id))

    @strawberry.field
    async def job(self, info: Info, id: strawberry.ID) -> Job:
        p = await call(info.context.principal)
        return Job.from_model(await call(lambda: job_resolvers.get_job(info.context.services, p, job_id_arg(id))))

    @strawberry.field(description=f"The workspace's jobs, newest first, at most {MAX_PAGE} a page.")
    async def jobs(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        kinds: list[str] | None = None,
        statuses: list[JobStatus] | None = None,
    ) -> JobConnection:
        p = await call(info.context.principal)
        page = await call(
            lambda: job_resolvers.list_jobs(
                info.context.services,
                p,
                kinds=kinds,
                statuses=[s.value for s in statuses or []] or None,
                first=first,
                after=after,
            )
        )
        edges = [JobEdge(cursor=encode_cursor(j), node=Job.from_model(j)) for j in page.jobs]
        return JobConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )
