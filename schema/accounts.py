"""The caller, the workspace, its members and its API keys: types, queries and mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.accounts import models
from domain.accounts.credits import CreditsService
from domain.accounts.repository import AccountsRepository
from domain.errors import NotFound
from domain.validation import is_number
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.relay import Node, raw_id_for
from schema.types import Info


@strawberry.type
class User(Node, FromModel):
    rest_id = "user_id"

    user_id: int
    email: str
    first_name: str | None
    last_name: str | None

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        """Only members of the caller's workspace are visible."""
        principal = await info.context.principal()
        principal.require("workspace.members.read")
        if not is_number(raw_id) or len(raw_id) > 10:
            raise NotFound("No object with this id.")
        found = await info.context.scope.read(
            lambda s: AccountsRepository(s).member_with_user(principal.workspace_id, int(raw_id))
        )
        if found is None or found[1].deleted_at is not None:
            raise NotFound("No object with this id.")
        return cls.from_model(found[0])


@strawberry.type
class Member(FromModel):
    role: str
    created_at: datetime
    user_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        found = await info.context.loaders.user.load(self.user_id)
        return User.from_model(found) if found else None


@strawberry.type(description="An API key. Its secret is shown once, when it is created, and never again.")
class ApiKey(Node, FromModel):
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    rate_limit_per_minute: int | None = strawberry.field(
        description="The key's own requests a minute in each rate-limited route group, instead of the group's "
        "limit; 0: unlimited; null: the groups' limits."
    )


@strawberry.type
class Workspace(Node, FromModel):
    rest_id = "workspace_id"

    name: str
    plan: str
    created_at: datetime
    workspace_id: str

    @strawberry.field(description="Credits remaining: subscription plus top-up (the split: the `credits` query).")
    async def credit_balance(self, info: Info) -> int:
        plans = info.context.services.plans
        found = await info.context.scope.read(lambda s: CreditsService(s, plans).balance(self.workspace_id))
        return found.total

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
        rows = await info.context.read(lambda s, p: info.context.services.accounts(s).list_api_keys(p))
        return [ApiKey.from_model(k) for k in rows]

    @strawberry.field(
        description="The secret that signs job callbacks (Standard Webhooks, `whsec_` and base64). Only for "
        "callers who may manage the workspace's keys (workspace.keys.manage); others get FORBIDDEN."
    )
    async def webhook_secret(self, info: Info) -> str | None:
        return await info.context.read(lambda s, p: info.context.services.accounts(s).webhook_secret(p))


async def _workspace_model(info: Info) -> models.Workspace:
    return await info.context.read(lambda s, p: info.context.services.accounts(s).get_workspace(p))


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
    rate_limit_per_minute: int | None = strawberry.field(
        default=None,
        description="For a trusted integration: the key's own requests a minute in each rate-limited route group "
        "instead of the group's limit (0: unlimited, at most 100000). Left out: the groups' limits.",
    )


@strawberry.type
class CreateApiKeyPayload(Payload):
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(default=None, description="The key itself. Shown only here, once.")


@strawberry.type
class RevokeApiKeyPayload(Payload):
    api_key: ApiKey | None = None


@strawberry.type
class RotateWebhookSecretPayload(Payload):
    workspace: Workspace | None = None
    webhook_secret: str | None = strawberry.field(default=None, description="The new secret, now signing.")


@strawberry.type
class AddMemberPayload(Payload):
    member: Member | None = None


@strawberry.type
class AccessTokenPayload(Payload):
    access_token: str | None = None


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
        created = await info.context.write(
            lambda uow, p: info.context.services.accounts(uow.session).create_api_key(
                p,
                name=input.name,
                scopes=input.scopes,
                expires_at=input.expires_at,
                rate_limit_per_minute=input.rate_limit_per_minute,
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

    @payload_mutation(
        description="A new secret for signing job callbacks, in force at once. The previous one keeps signing "
        "too (a second v1 signature) for keepPreviousHours, 0 to 168: 0 stops it at once (a leaked secret)."
    )
    async def rotate_webhook_secret(self, info: Info, keep_previous_hours: int = 24) -> RotateWebhookSecretPayload:
        workspace = await info.context.write(
            lambda uow, p: info.context.services.accounts(uow.session).rotate_webhook_secret(
                p, keep_previous_hours=keep_previous_hours
            )
        )
        return RotateWebhookSecretPayload(
            workspace=Workspace.from_model(workspace), webhook_secret=workspace.webhook_secret
        )

    @payload_mutation(description="Add a user (created if new) to the workspace with a role.")
    async def add_member(self, info: Info, email: str, role: str) -> AddMemberPayload:
        membership = await info.context.write(
            lambda uow, p: info.context.services.accounts(uow.session).add_member(p, email=email, role=role)
        )
        return AddMemberPayload(member=Member.from_model(membership))

    @payload_mutation(description="A fresh access token for the calling member.")
    async def refresh_access_token(self, info: Info) -> AccessTokenPayload:
        token = await info.context.read(lambda s, p: info.context.services.accounts(s).refresh_access_token(p))
        return AccessTokenPayload(access_token=token)
