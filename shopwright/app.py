"""Builds the Starlette app: GraphQL, the REST surfaces, health, limits, lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute

from domain.jobs.registry import JobRegistry
from resolvers.health import healthz, readyz
from resolvers.rest import jobs as rest_jobs
from resolvers.rest.common import code_message_error
from resolvers.rest.limits import BodyLimitMiddleware
from schema import build_schema
from schema.view import GraphQLView
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
    schema = build_schema(introspection=settings.graphql_introspection, max_depth=settings.graphql_max_depth)
    graphql = GraphQLView(schema, services)

    surfaces = [rest_jobs.SURFACE]
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        *rest_jobs.routes,
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

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                surfaces=surfaces,
                default=code_message_error,
            )
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.runtime = runtime
    app.state.settings = settings
    return app
