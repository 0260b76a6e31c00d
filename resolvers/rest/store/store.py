"""Store endpoints: status (public), info, stats (also ``/api/data/stats``), warnings, locales, clean; and
the analytics and AI-driven store operations that come later (501)."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts.principal import Principal
from domain.errors import InvalidInput
from resolvers import store as store_resolvers
from resolvers.rest.common import read_json, services_of
from resolvers.rest.store.common import data, not_implemented, store_endpoint


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@store_endpoint(None, public=True)
async def status(request: Request, principal: Principal) -> Response:
    """No authentication: whether this service (and its database) answers."""
    return data({"up": await store_resolvers.store_up(services_of(request))})


@store_endpoint("store")
async def info(request: Request, principal: Principal) -> Response:
    return data(await store_resolvers.store_info(services_of(request), principal, request_base_url=base_url(request)))


@store_endpoint("store")
async def stats(request: Request, principal: Principal) -> Response:
    return data(await store_resolvers.store_stats(services_of(request), principal))


@store_endpoint("store")
async def warnings(request: Request, principal: Principal) -> Response:
    return data([asdict(w) for w in await store_resolvers.store_warnings(services_of(request), principal)])


@store_endpoint("store")
async def locales(request: Request, principal: Principal) -> Response:
    return data(await store_resolvers.store_locales(services_of(request), principal))


@store_endpoint("store", write=True)
async def clean(request: Request, principal: Principal) -> Response:
    body = await read_json(request, required=False)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
    deleted = await store_resolvers.clean_store(services_of(request), principal, body.get("operations"))
    return data({"deleted": deleted})


ANALYTICS_PATHS = (
    "/api/analytics/visits/summary",
    "/api/analytics/visits",
    "/api/analytics/visitors",
    "/api/analytics/visitors/{id}",
    "/api/analytics/pages",
    "/api/analytics/countries",
    "/api/analytics/devices",
    "/api/analytics/sources",
    "/api/analytics/clicks/summary",
    "/api/analytics/clicks",
    "/api/analytics/checkouts/summary",
    "/api/analytics/checkouts",
    "/api/analytics/actions",
    "/api/data/openai-tokens",
)

routes = [
    Route("/api/store/status", status, methods=["GET"]),
    Route("/api/store/info", info, methods=["GET"]),
    Route("/api/store/stats", stats, methods=["GET"]),
    Route("/api/data/stats", stats, methods=["GET"]),
    Route("/api/store/warnings", warnings, methods=["GET"]),
    Route("/api/store/locales", locales, methods=["GET"]),
    Route("/api/store/clean", clean, methods=["POST"]),
    Route("/api/store/regenerate-stock-texts", not_implemented("Regenerating stock texts (AI)"), methods=["POST"]),
    Route("/api/store/pick-logo-icon", not_implemented("Picking a logo icon (AI)"), methods=["POST"]),
    Route("/api/store/generate-logo", not_implemented("Generating a logo (AI)"), methods=["POST"]),
    *(
        Route(
            path,
            not_implemented(
                f"{'AI token usage' if path.endswith('openai-tokens') else 'Store analytics'} (GET {path})",
                arrives_with="the store analytics",
            ),
            methods=["GET"],
        )
        for path in ANALYTICS_PATHS
    ),
]
