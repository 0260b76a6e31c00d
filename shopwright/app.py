"""Builds the Starlette app: GraphQL, the REST surfaces (one mounted sub-app each), health, lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from domain.analytics.geo import parse_networks
from domain.jobs.registry import JobRegistry
from resolvers.auth_limits import AuthFailureMiddleware
from resolvers.graphiql import STATIC_DIR, STATIC_PREFIX
from resolvers.health import healthz, readyz
from resolvers.landing import landing_endpoint
from resolvers.media import ROUTES as MEDIA_ROUTES
from resolvers.observability import ObservabilityMiddleware, metrics_endpoint
from resolvers.rest import content as rest_content
from resolvers.rest import jobs as rest_jobs
from resolvers.rest import listing as rest_listing
from resolvers.rest import store as rest_store
from resolvers.rest import storefront as rest_storefront
from resolvers.rest import swm as rest_swm
from resolvers.rest.limits import BodyLimitMiddleware
from resolvers.rest.surface import Dialect, Surface
from resolvers.store_media import ROUTES as STORE_MEDIA_ROUTES
from schema import build_schema
from schema.cost import Limits
from schema.view import GraphQLView, graphql_error_response
from shopwright.migrate import pending_migrations
from shopwright.runtime import build_runtime, build_services
from shopwright.settings import Settings
from shopwright.tracking import build_tracking
from workers.recovery import recover, recovery_loop
from workers.runner import InProcessQueue

log = logging.getLogger(__name__)

# The REST surfaces, one line each.
SURFACES: list[Surface] = [
    rest_store.SURFACE,
    rest_content.SURFACE,
    rest_jobs.SURFACE,
    rest_listing.SURFACE,
    rest_swm.SURFACE,
    rest_storefront.SURFACE,
]


class NotMigrated(RuntimeError):
    pass


class UnknownRateLimit(ValueError):
    pass


def check_rate_limits(settings: Settings) -> None:
    """Every key of SHOPWRIGHT_RATE_LIMITS names a surface's route group: a typo must not go unnoticed."""
    known = set().union(*(s.rate_limit_keys() for s in SURFACES))
    unknown = sorted(set(settings.rate_limits) - known)
    if unknown:
        raise UnknownRateLimit(
            f"SHOPWRIGHT_RATE_LIMITS names unknown route groups: {', '.join(unknown)}. "
            f"Known: {', '.join(sorted(known))}."
        )


def check_graphql_costs(settings: Settings) -> None:
    """A bucket smaller than the per-request maximum would refuse some allowed documents for ever."""
    if settings.graphql_cost_bucket_size < settings.graphql_max_cost:
        raise ValueError(
            f"SHOPWRIGHT_GRAPHQL_COST_BUCKET_SIZE ({settings.graphql_cost_bucket_size}) must be at least "
            f"SHOPWRIGHT_GRAPHQL_MAX_COST ({settings.graphql_max_cost})."
        )


def build_app(settings: Settings, *, registry: JobRegistry | None = None) -> Starlette:
    check_rate_limits(settings)
    check_graphql_costs(settings)
    metrics = CollectorRegistry()  # this app's own: apps in one process (tests) do not share series
    runtime = build_runtime(settings, registry=registry, metrics=metrics)
    services = build_services(settings, runtime, metrics)
    limits = Limits(
        max_depth=settings.graphql_max_depth,
        max_cost=settings.graphql_max_cost,
        timeout_seconds=settings.graphql_operation_timeout_seconds,
    )
    schema = build_schema(introspection=settings.graphql_introspection, limits=limits)
    graphql = GraphQLView(schema, services)
    graphql_http = BodyLimitMiddleware(graphql, max_bytes=settings.max_body_bytes, render=graphql_error_response)
    tracking = build_tracking(settings, runtime.db, metrics)  # /matomo.php and /go/{offer_id}
    proxies = parse_networks((settings.auth_trusted_proxies or settings.analytics_trusted_proxies).split(","))

    routes: list[BaseRoute] = [
        # First: the routes are matched in order, and GraphQL is the busiest.
        Route("/graphql", graphql_http, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/", landing_endpoint(SURFACES, metrics=settings.metrics_enabled), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *MEDIA_ROUTES,  # signed, expiring links to stored files
        *STORE_MEDIA_ROUTES,  # the pictures in store rows' image slots, at stable public addresses
        *tracking.tracking.routes(),  # analytics: the Matomo tracking protocol and outbound offer clicks
        Mount(STATIC_PREFIX, app=StaticFiles(directory=STATIC_DIR), name="static"),
        *(s.mount(services) for s in sorted(SURFACES, key=lambda s: len(s.prefix), reverse=True)),
    ]
    if settings.metrics_enabled:  # otherwise /metrics is an unknown path (404)
        routes.append(Route("/metrics", metrics_endpoint(services, settings.metrics_token), methods=["GET"]))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if await pending_migrations(runtime.db.engine):
            raise NotMigrated("The database is not at the latest migration: run `shopwright migrate` first.")
        in_process = isinstance(runtime.queue, InProcessQueue)
        # In-process, no other process can be running this database's queued jobs: take them all back.
        await recover(runtime, queued_grace=timedelta(0) if in_process else None)
        sweeper = asyncio.create_task(recovery_loop(runtime))
        # Closes open WebSockets whose access ended (a key revoked, a member removed or demoted).
        watcher = asyncio.create_task(graphql.live_sessions.run())
        await tracking.start()  # writes accepted tracker hits in batches
        try:
            yield
        finally:
            for task in (watcher, sweeper):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await tracking.close()  # every accepted hit written (or left in the Redis stream)
            await runtime.close()

    default = Dialect()
    by_length = sorted(SURFACES, key=lambda s: len(s.prefix), reverse=True)

    def dialect_of(path: str) -> Dialect:
        """The dialect of the surface whose prefix the path is or lies under (the longest such prefix), else
        the service's own. A path a mount did not take still reads like its surface: the bare prefix, or a
        path whose parameter no route pattern matches (a newline in an id)."""
        path = path.rstrip("/") or "/"
        for surface in by_length:
            if path == surface.prefix or path.startswith(surface.prefix + "/"):
                return surface.dialect
        return default

    async def http_error(request: Request, exc: Exception) -> Response:
        return dialect_of(request.url.path).route_error(exc.status_code if isinstance(exc, HTTPException) else 500)

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error},
        middleware=[
            Middleware(ObservabilityMiddleware, metrics=services.metrics, routes=routes),
            Middleware(AuthFailureMiddleware, per_minute=settings.auth_failures_per_minute, trusted_proxies=proxies),
        ],
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # "/api" is not "/api/": each answers for itself
    app.state.services = services
    app.state.runtime = runtime
    app.state.tracking = tracking
    app.state.settings = settings
    return app
