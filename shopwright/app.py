"""Builds the Starlette app: GraphQL, the REST surfaces, health, limits, lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from domain.jobs.registry import JobRegistry
from domain.store.links import LoginLinkSigner
from resolvers import store as store_resolvers
from resolvers.health import healthz, readyz
from resolvers.rest import content as rest_content
from resolvers.rest import jobs as rest_jobs
from resolvers.rest.common import SurfaceMap, code_message_error, route_error
from resolvers.rest.limits import BodyLimitMiddleware
from resolvers.rest.store import article_categories as store_article_categories
from resolvers.rest.store import articles as store_articles
from resolvers.rest.store import brands as store_brands
from resolvers.rest.store import categories as store_categories
from resolvers.rest.store import common as store_common
from resolvers.rest.store import offers as store_offers
from resolvers.rest.store import pages as store_pages
from resolvers.rest.store import products as store_products
from resolvers.rest.store import settings as store_settings
from resolvers.rest.store import store as store_store
from resolvers.rest.store import users as store_users
from schema import build_schema
from schema.view import GRAPHQL_SURFACE, GraphQLView
from shopwright.migrate import pending_migrations
from shopwright.runtime import build_runtime, build_services
from shopwright.settings import Settings
from workers.recovery import recover, recovery_loop
from workers.runner import InProcessQueue

log = logging.getLogger(__name__)


class NotMigrated(RuntimeError):
    pass


def build_app(settings: Settings, *, registry: JobRegistry | None = None) -> Starlette:
    runtime = build_runtime(settings, registry=registry)
    services = build_services(settings, runtime)
    services.extras[store_resolvers.LOGIN_LINKS] = LoginLinkSigner(settings.resolved_secret_key())
    services.extras[store_resolvers.PUBLIC_URL] = settings.public_url
    schema = build_schema(introspection=settings.graphql_introspection, max_depth=settings.graphql_max_depth)
    graphql = GraphQLView(schema, services)

    surfaces = [rest_jobs.SURFACE, rest_content.SURFACE, GRAPHQL_SURFACE, store_common.SURFACE]
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        *rest_jobs.routes,
        *rest_content.routes,
        *store_products.routes,
        *store_offers.routes,
        *store_categories.routes,
        *store_brands.routes,
        *store_store.routes,
        *store_users.routes,
        *store_settings.routes,
        *store_articles.routes,
        *store_article_categories.routes,
        *store_pages.routes,
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if await pending_migrations(runtime.db.engine):
            raise NotMigrated("The database is not at the latest migration: run `shopwright migrate` first.")
        in_process = isinstance(runtime.queue, InProcessQueue)
        # In-process, no other process can be running this database's queued jobs: take them all back.
        await recover(runtime, queued_grace=timedelta(0) if in_process else None)
        sweeper = asyncio.create_task(recovery_loop(runtime))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await runtime.close()

    surface_map = SurfaceMap(surfaces, default=code_message_error)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return route_error(surface_map, request.url.path, status)

    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, surfaces=surface_map)],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.runtime = runtime
    app.state.settings = settings
    return app
