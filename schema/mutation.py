from __future__ import annotations

import strawberry

from domain.errors import DomainError
from resolvers import accounts as account_resolvers
from resolvers import jobs as job_resolvers
from resolvers.context import RequestContext
from schema.accounts import (
    AccessTokenPayload,
    AddMemberPayload,
    ApiKey,
    CreateApiKeyInput,
    CreateApiKeyPayload,
    Member,
    RevokeApiKeyPayload,
)
from schema.errors import call, user_errors
from schema.jobs import CancelJobPayload, Job, job_id_arg
from schema.node import raw_id_for

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class CoreMutation:
    @strawberry.mutation(description="Cancel a queued job at once, or ask a running one to stop.")
    async def cancel_job(self, info: Info, id: strawberry.ID) -> CancelJobPayload:
        p = await call(info.context.principal)
        try:
            job = await job_resolvers.cancel_job(info.context.services, p, job_id_arg(id))
        except DomainError as exc:
            return CancelJobPayload(user_errors=user_errors(exc))
        return CancelJobPayload(job=Job.from_model(job))

    @strawberry.mutation
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        p = await call(info.context.principal)
        try:
            created = await account_resolvers.create_api_key(
                info.context.services, p, name=input.name, scopes=input.scopes, expires_at=input.expires_at
            )
        except DomainError as exc:
            return CreateApiKeyPayload(user_errors=user_errors(exc))
        return CreateApiKeyPayload(api_key=ApiKey.from_model(created.key), secret=created.plaintext)

    @strawberry.mutation
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
        p = await call(info.context.principal)
        try:
            key = await account_resolvers.revoke_api_key(info.context.services, p, raw_id_for("ApiKey", id))
        except DomainError as exc:
            return RevokeApiKeyPayload(user_errors=user_errors(exc))
        return RevokeApiKeyPayload(api_key=ApiKey.from_model(key))

    @strawberry.mutation(description="Add a user (created if new) to the workspace with a role.")
    async def add_member(self, info: Info, email: str, role: str) -> AddMemberPayload:
        p = await call(info.context.principal)
        try:
            membership = await account_resolvers.add_member(info.context.services, p, email=email, role=role)
        except DomainError as exc:
            return AddMemberPayload(user_errors=user_errors(exc))
        return AddMemberPayload(member=Member.from_model(membership))

    @strawberry.mutation(description="A fresh access token for the calling member.")
    async def refresh_access_token(self, info: Info) -> AccessTokenPayload:
        p = await call(info.context.principal)
        try:
            token = await account_resolvers.refresh_access_token(info.context.services, p)
        except DomainError as exc:
            return AccessTokenPayload(user_errors=user_errors(exc))
        return AccessTokenPayload(access_token=token)
