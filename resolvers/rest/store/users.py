"""The store's users (the workspace's members): list, create, login link, get, update."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.common import data, page_params, paginated, path_id, store_endpoint
from resolvers.rest.store.store import base_url
from resolvers.rest.store.store_json import user_json


@store_endpoint("users")
async def list_users(request: Request, principal: Principal) -> Response:
    page, per_page = page_params(request)
    rows, total = await store_resolvers.list_users(services_of(request), principal, page, per_page)
    return paginated(request, [user_json(u) for u in rows], total=total, page=page, per_page=per_page)


@store_endpoint("users", write=True)
async def create_user(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    member = await store_resolvers.create_user(services_of(request), principal, body)
    return data(user_json(member), status=201 if member.created else 200)


@store_endpoint("users", write=True)
async def login_link(request: Request, principal: Principal) -> Response:
    link = await store_resolvers.login_link(
        services_of(request), principal, request.query_params.get("email"), request_base_url=base_url(request)
    )
    return data({"loginLink": link})


@store_endpoint("users")
async def get_user(request: Request, principal: Principal) -> Response:
    return data(user_json(await store_resolvers.get_user(services_of(request), principal, path_id(request))))


@store_endpoint("users", write=True)
async def update_user(request: Request, principal: Principal) -> Response:
    user_id = path_id(request)
    body = await read_json_object(request)
    return data(user_json(await store_resolvers.update_user(services_of(request), principal, user_id, body)))


routes = [
    Route("/api/users", list_users, methods=["GET"]),
    Route("/api/users", create_user, methods=["POST"]),
    Route("/api/users/login-link", login_link, methods=["GET"]),
    Route("/api/users/{id}", get_user, methods=["GET"]),
    Route("/api/users/{id}", update_user, methods=["PATCH"]),
]
