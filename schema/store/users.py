"""The store's users (the workspace's members): the type, the list, and the mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.store.commands import CreateUserCommand, UpdateUserCommand
from domain.store.users import StoreUser as StoreUserModel
from domain.store.users import StoreUsersService
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.inputs import parse_input
from schema.relay import Connection, Node, int_id, page_request
from schema.types import Info


@strawberry.type(description="A user of the store: a member of the workspace, with their role.")
class StoreUser(Node, FromModel):
    rest_id = "user_id"

    user_id: int
    email: str
    first_name: str | None
    last_name: str | None
    roles: list[str]
    newsletter: bool
    deleted: bool
    created_at: datetime

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(
            await info.context.read(lambda s, p: StoreUsersService(s).get(p, int_id("StoreUser", raw_id)))
        )

    @classmethod
    def from_model(cls, model: StoreUserModel) -> Self:
        membership = model.membership
        return cls.build(
            model.user,
            roles=model.roles,
            newsletter=membership.newsletter,
            deleted=membership.deleted_at is not None,
            created_at=membership.created_at,
        )


@strawberry.input
class CreateStoreUserInput:
    email: str
    password: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    roles: list[str] | None = strawberry.UNSET
    newsletter: bool | None = strawberry.UNSET


@strawberry.input
class UpdateStoreUserInput:
    email: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    newsletter: bool | None = strawberry.UNSET


@strawberry.type
class StoreUserPayload(Payload):
    user: StoreUser | None = None
    created: bool = False


@strawberry.type
class StoreUserQuery:
    @strawberry.field(description="The store's users (the workspace's members), by id, at most 100 a page.")
    async def store_users(self, info: Info, first: int = 20, after: str | None = None) -> Connection[StoreUser]:
        page = await info.context.read(lambda s, p: StoreUsersService(s).page(p, page_request(first, after)))
        return Connection.of(page, StoreUser.from_model)

    @strawberry.field
    async def store_user(self, info: Info, id: strawberry.ID) -> StoreUser:
        return await StoreUser.resolve_node(info, id)


@strawberry.type
class StoreUserMutation:
    @payload_mutation(description="Add a user to the store; a known email returns the existing user.")
    async def create_store_user(self, info: Info, input: CreateStoreUserInput) -> StoreUserPayload:
        command = await parse_input(info, CreateUserCommand, input)
        member = await info.context.write(
            lambda uow, p: StoreUsersService(uow.session).create(p, command), retry_unique=True
        )
        return StoreUserPayload(user=StoreUser.from_model(member), created=member.created)

    @payload_mutation()
    async def update_store_user(self, info: Info, id: strawberry.ID, input: UpdateStoreUserInput) -> StoreUserPayload:
        principal = await info.context.principal()
        user_id = int_id("StoreUser", id)
        command = await parse_input(info, UpdateUserCommand, input, partial=True, subject=user_id)
        member = await info.context.scope.write(
            lambda uow: StoreUsersService(uow.session).update(principal, user_id, command)
        )
        return StoreUserPayload(user=StoreUser.from_model(member))
