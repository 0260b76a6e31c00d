"""The caller, the workspace, its members and its API keys: types, queries and mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.accounts import models
from domain.accounts.repository import AccountsRepository
from domain.errors import NotFound
from schema.errors import UserError, payload_mutation
from schema.relay import Node, raw_id_for, to_global_id
from schema.types import Info


@strawberry.type
class User(Node):
    user_id: int
    email: str
    first_name: str | None
    last_name: str | None

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        """Only members of the caller's workspace are visible."""
        principal = await info.context.principal()
        principal.require("workspace.members.read")
        if not raw_id.isdigit() or len(raw_id) > 10:
            raise NotFound("No object with this id.")
        found = await info.context.scope.read(
            lambda s: AccountsRepository(s).member_with_user(principal.workspace_id, int(raw_id))
        )
        if found is None or found[1].deleted_at is not None:
            raise NotFound("No object with this id.")
        return cls.from_model(found[0])

    @classmethod
    def from_model(cls, user: models.User) -> Self:
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
    def from_model(cls, key: models.ApiKey) -> Self:
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

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        principal = await info.context.principal()
        if raw_id != principal.workspace_id:
            raise NotFound("No object with this id.")
        return cls.from_model(await _workspace_model(info))

    @strawberry.field
    async def members(self, info: Info) -> list[Member]:
        principal = await info.context.principal()
        principal.require("workspace.members.read")
        rows = await info.context.scope.read(lambda s: AccountsRepository(s).list_memberships(principal.workspace_id))
        return [Member.from_model(m) for m in rows]

    @strawberry.field
    async def api_keys(self, info: Info) -> list[ApiKey]:
        principal = await info.context.principal()
        rows = await info.context.scope.read(lambda s: info.context.services.accounts(s).list_api_keys(principal))
        return [ApiKey.from_model(k) for k in rows]

    @classmethod
    def from_model(cls, workspace: models.Workspace) -> Self:
        return cls(
            id=to_global_id("Workspace", workspace.id),
            name=workspace.name,
            plan=workspace.plan,
            credit_balance=workspace.credit_balance,
            created_at=workspace.created_at,
            workspace_id=workspace.id,
        )


async def _workspace_model(info: Info) -> models.Workspace:
    principal = await info.context.principal()
    return await info.context.scope.read(lambda s: info.context.services.accounts(s).get_workspace(principal))


async def _workspace(info: Info) -> Workspace:
    return Workspace.from_model(await _workspace_model(info))


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
        return await _workspace(info)


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


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The caller.")
    async def viewer(self, info: Info) -> Viewer:
        p = await info.context.principal()
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
        return await _workspace(info)


@strawberry.type
class AccountsMutation:
    @payload_mutation()
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        p = await info.context.principal()
        created = await info.context.scope.write(
            lambda uow: info.context.services.accounts(uow.session).create_api_key(
                p, name=input.name, scopes=input.scopes, expires_at=input.expires_at
            )
        )
        return CreateApiKeyPayload(api_key=ApiKey.from_model(created.key), secret=created.plaintext)

    @payload_mutation()
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
        p = await info.context.principal()
        key_id = raw_id_for("ApiKey", id)
        key = await info.context.scope.write(
            lambda uow: info.context.services.accounts(uow.session).revoke_api_key(p, key_id)
        )
        return RevokeApiKeyPayload(api_key=ApiKey.from_model(key))

    @payload_mutation(description="Add a user (created if new) to the workspace with a role.")
    async def add_member(self, info: Info, email: str, role: str) -> AddMemberPayload:
        p = await info.context.principal()
        membership = await info.context.scope.write(
            lambda uow: info.context.services.accounts(uow.session).add_member(p, email=email, role=role)
        )
        return AddMemberPayload(member=Member.from_model(membership))

    @payload_mutation(description="A fresh access token for the calling member.")
    async def refresh_access_token(self, info: Info) -> AccessTokenPayload:
        p = await info.context.principal()
        token = await info.context.scope.read(lambda s: info.context.services.accounts(s).refresh_access_token(p))
        return AccessTokenPayload(access_token=token)
