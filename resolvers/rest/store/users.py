"""The store's users (the workspace's members): list, create, login link, get, update."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.responses import Response

from domain.store.commands import CreateUserCommand, UpdateUserCommand
from domain.store.users import StoreUsersService
from resolvers.rest.store.dialect import Data, Paginated, data, paginated
from resolvers.rest.store.params import IdPath, PageQuery
from resolvers.rest.store.store_json import LoginLinkJson, UserJson, user_json
from resolvers.rest.surface import Call, Router

router = Router(tags=["users"])
READ, MANAGE = "store.users.read", "store.users.manage"


class LoginLinkQuery(BaseModel):
    email: str | None = Field(default=None, description="The member's email.")


@router.get("/users", permission=READ, response=Paginated[UserJson])
async def list_users(call: Call, query: PageQuery) -> Response:
    """The store's users, by id."""
    page = await call.read(lambda s, p: StoreUsersService(s).page(p, query.page_request()))
    return paginated(call, page, user_json)


@router.post("/users", permission=MANAGE, response=Data[UserJson], status=201, responses={200: "A known email"})
async def create_user(call: Call, body: CreateUserCommand) -> Response:
    """Add a user to the store; a known email answers the existing user (200)."""
    member = await call.write(lambda uow, p: StoreUsersService(uow.session).create(p, body), retry_unique=True)
    return data(user_json(member), status=201 if member.created else 200)


@router.get("/users/login-link", permission=MANAGE, response=Data[LoginLinkJson])
async def login_link(call: Call, query: LoginLinkQuery) -> Response:
    """A magic login link for an active member, under the store's url setting (else this service's URL)."""
    services = call.scope.services
    fallback = services.public_base(call.base_url)
    link = await call.read(
        lambda s, p: StoreUsersService(s, services.tokens).login_link(p, query.email, fallback_url=fallback)
    )
    body: LoginLinkJson = {"loginLink": link}
    return data(body)


@router.get("/users/{id}", permission=READ, response=Data[UserJson])
async def get_user(call: Call, path: IdPath) -> Response:
    """One user of the store."""
    return data(user_json(await call.read(lambda s, p: StoreUsersService(s).get(p, path.id))))


@router.patch("/users/{id}", permission=MANAGE, response=Data[UserJson])
async def update_user(call: Call, path: IdPath, body: UpdateUserCommand) -> Response:
    """Change the fields sent (a person's name and email only while they belong to this store alone)."""
    member = await call.write(lambda uow, p: StoreUsersService(uow.session).update(p, path.id, body))
    return data(user_json(member))
