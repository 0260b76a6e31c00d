"""Workspace, members, users and API keys."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.accounts import models
from resolvers import accounts as account_resolvers
from resolvers.context import RequestContext
from schema.errors import UserError, call
from schema.node import Node, to_global_id

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class User(Node):
    user_id: int
    email: str
    first_name: str | None
    last_name: str | None

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=to_global_id("User", user.id),
            user_id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
        )


@strawberry.type
class Member:
    role: str
    created_at: datetime
    user_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        found = await info.context.loaders.user.load(self.user_id)
        return User.from_model(found) if found else None

    @classmethod
    def from_model(cls, membership: models.Membership) -> Member:
        return cls(role=membership.role, created_at=membership.created_at, user_id=membership.user_id)


@strawberry.type(description="An API key. Its secret is shown once, when it is created, and never again.")
class ApiKey(Node):
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def from_model(cls, key: models.ApiKey) -> ApiKey:
        return cls(
            id=to_global_id("ApiKey", key.id),
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=key.created_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
        )


@strawberry.type
class Workspace(Node):
    name: str
    plan: str
    credit_balance: int
    created_at: datetime
    workspace_id: str

    @strawberry.field
    async def members(self, info: Info) -> list[Member]:
        principal = await call(info.context.principal)
        rows = await call(lambda: account_resolvers.list_members(info.context.services, principal))
        return [Member.from_model(m) for m in rows]

    @strawberry.field
    async def api_keys(self, info: Info) -> list[ApiKey]:
        principal = await call(info.context.principal)
        rows = await call(lambda: account_resolvers.list_api_keys(info.context.services, principal))
        return [ApiKey.from_model(k) for k in rows]

    @classmethod
    def from_model(cls, workspace: models.Workspace) -> Workspace:
        return cls(
            id=to_global_id("Workspace", workspace.id),
            name=workspace.name,
            plan=workspace.plan,
            credit_balance=workspace.credit_balance,
            created_at=workspace.created_at,
            workspace_id=workspace.id,
        )


@strawberry.type(description="Who is calling: a member (with a role) or an API key (with scopes).")
class Viewer:
    kind: str
    role: str | None
    scopes: list[str]
    permissions: list[str]
    user_id: strawberry.Private[int | None]
    workspace_id: str

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        if self.user_id is None:
            return None
        found = await info.context.loaders.user.load(self.user_id)
        return User.from_model(found) if found else None

    @strawberry.field
    async def workspace(self, info: Info) -> Workspace:
        principal = await call(info.context.principal)
        return Workspace.from_model(
            await call(lambda: account_resolvers.get_workspace(info.context.services, principal))
        )


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str] = strawberry.field(
        description="full, read, write, or <resource>:read / <resource>:write (e.g. products:read)."
    )
    expires_at: datetime | None = None


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(default=None, description="The key itself. Shown only here, once.")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RevokeApiKeyPayload:
    api_key: ApiKey | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddMemberPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AccessTokenPayload:
    access_token: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
