"""Settings: flat ``{group}_{setting}`` keys, and per group with keys without the prefix."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json_object, services_of
from resolvers.rest.store.common import data, store_endpoint

SAVED = "Settings saved successfully."


@store_endpoint("settings")
async def get_all(request: Request, principal: Principal) -> Response:
    return data(await store_resolvers.all_settings(services_of(request), principal))


@store_endpoint("settings", write=True)
async def patch_all(request: Request, principal: Principal) -> Response:
    body = await read_json_object(request)
    values = await store_resolvers.update_settings(services_of(request), principal, body)
    return JSONResponse({"message": SAVED, "data": values})


@store_endpoint("settings")
async def get_group(request: Request, principal: Principal) -> Response:
    group = request.path_params["group"]
    return data(await store_resolvers.group_settings(services_of(request), principal, group))


@store_endpoint("settings", write=True)
async def patch_group(request: Request, principal: Principal) -> Response:
    group = request.path_params["group"]
    body = await read_json_object(request)
    values = await store_resolvers.update_group_settings(services_of(request), principal, group, body)
    return JSONResponse({"message": SAVED, "data": values})


routes = [
    Route("/api/settings", get_all, methods=["GET"]),
    Route("/api/settings", patch_all, methods=["PATCH"]),
    Route("/api/settings/{group}", get_group, methods=["GET"]),
    Route("/api/settings/{group}", patch_group, methods=["PATCH"]),
]
