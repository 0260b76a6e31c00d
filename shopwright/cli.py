"""``shopwright serve | worker | migrate | workspace create | credits grant | spaces ...``."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from domain.accounts.credits import CreditsService, grant_note
from domain.accounts.plans import Plans
from domain.accounts.service import AccountsService
from domain.accounts.tokens import TokenService
from domain.db import Database, NullDispatcher
from domain.errors import DomainError
from shopwright import migrate, spaces_cli
from shopwright.logging import configure_logging
from shopwright.settings import Settings


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        sys.exit(f"Invalid configuration:\n{exc}")


def _configure_logging(settings: Settings, level: str | None = None) -> None:
    try:
        configure_logging(settings.log_format, level or settings.log_level)
    except ValueError as exc:
        sys.exit(f"Invalid log level {level or settings.log_level!r}: {exc}")


def _migrate(settings: Settings) -> None:
    migrate.upgrade(settings.resolved_database_url())


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings()
    _migrate(settings)
    print(f"Database at the latest migration: {_display_url(settings.resolved_database_url())}")
    return 0


def tune_collector(threshold: int) -> None:
    """The garbage collector for a long-running server, once the app is built.

    What is built by now (modules, the schema, mappers, settings) lives as long as the process: frozen out of
    the collector's way, a full collection walks only what requests make (measured 2-9% of a GraphQL page's
    CPU, and shorter pauses). Tests build many apps in one process and do not freeze.

    A request makes thousands of objects that live until it ends. At Python's threshold (700 net new objects)
    the collector runs several times a request, walks them each time and promotes them, so full collections
    come every few dozen requests; at 20,000 (``SHOPWRIGHT_GC_THRESHOLD``) one comes about once a request, most
    of a request's objects are gone by then, and full collections become rare (docs/performance.md)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(threshold, older, oldest)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from shopwright.app import build_app

    settings = _settings()
    _configure_logging(settings, args.log_level)
    if settings.auto_migrate:
        _migrate(settings)
    app = build_app(settings)
    base = settings.public_url or f"http://{args.host}:{args.port}"
    mode = "RQ workers (run `shopwright worker`)" if settings.redis_url else "in-process"
    print(f"Shopwright API:  {base}/")
    print(f"GraphQL:         {base}/graphql  (GraphiQL in the browser)")
    print(f"Database:        {_display_url(settings.resolved_database_url())}")
    print(f"Jobs:            {mode}")
    sys.stdout.flush()
    tune_collector(settings.gc_threshold)
    # Logging is configured above (uvicorn's loggers included); the access log is ours, with the request id
    # and duration (resolvers.observability), so uvicorn's own is off.
    # Per-message compression costs more than it saves on job-progress frames of a few hundred bytes.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from shopwright.runtime import build_registry, build_runtime
    from workers.worker import run_worker

    settings = _settings()
    if not settings.redis_url:
        sys.exit("shopwright worker needs SHOPWRIGHT_REDIS_URL (without it, `shopwright serve` runs jobs itself).")
    if asyncio.run(_pending(settings)):
        sys.exit("The database is not at the latest migration: run `shopwright migrate` first.")
    _configure_logging(settings)
    registry = build_registry(settings)
    run_worker(
        redis_url=settings.redis_url,
        queue_name=settings.rq_queue,
        factory=lambda: build_runtime(settings, registry=registry),
        burst=args.burst,
        interval=max(1.0, settings.job_stale_seconds / 2),
    )
    return 0


async def _pending(settings: Settings) -> bool:
    db = Database(settings.resolved_database_url())
    try:
        return await migrate.pending_migrations(db.engine)
    finally:
        await db.dispose()


def cmd_workspace_create(args: argparse.Namespace) -> int:
    settings = _settings()
    _migrate(settings)

    async def create() -> dict[str, object]:
        db = Database(settings.resolved_database_url())
        try:
            async with db.unit_of_work(NullDispatcher()) as uow:
                service = AccountsService(
                    uow.session,
                    TokenService(settings.secret_keys()),
                    token_ttl_seconds=settings.access_token_ttl_seconds,
                    plans=settings.plans,
                )
                created = await service.create_workspace(
                    name=args.name, owner_email=args.owner_email, plan=args.plan, credits=args.credits
                )
            return {
                "workspace_id": created.workspace.id,
                "owner_user_id": created.owner.id,
                "api_key": created.api_key.plaintext,
                "access_token": created.access_token,
            }
        finally:
            await db.dispose()

    try:
        result = asyncio.run(create())
    except DomainError as exc:
        sys.exit(f"error: {exc.message}")
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Workspace:     {result['workspace_id']}")
        print(f"Owner user id: {result['owner_user_id']}")
        print(f"API key:       {result['api_key']}   (shown once)")
        print(f"Access token:  {result['access_token']}   (shown once)")
    return 0


def cmd_credits_grant(args: argparse.Namespace) -> int:
    settings = _settings()
    _migrate(settings)

    async def grant() -> dict[str, object]:
        db = Database(settings.resolved_database_url())
        try:
            # No dispatcher here: the credits.changed webhooks this writes are sent by the service's recovery
            # sweep, which resumes deliveries nobody has picked up.
            async with db.unit_of_work(NullDispatcher()) as uow:
                balance = await CreditsService(uow, Plans(settings.plans)).grant_topup(
                    args.workspace, args.amount, grant_note(args.note, by="cli")
                )
            return {
                "workspace_id": args.workspace,
                "granted": args.amount,
                "credits_remaining": balance.total,
                "subscription_credits": balance.subscription,
                "topup_credits": balance.topup,
            }
        finally:
            await db.dispose()

    try:
        result = asyncio.run(grant())
    except DomainError as exc:
        sys.exit(f"error: {exc.message}")
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"Granted {result['granted']} top-up credits to {result['workspace_id']}: {result['credits_remaining']} "
            f"remaining ({result['subscription_credits']} subscription, {result['topup_credits']} top-up)."
        )
    return 0


def cmd_analytics_site(args: argparse.Namespace) -> int:
    from shopwright.tracking import cmd_analytics_site as site

    settings = _settings()
    _migrate(settings)
    return site(args.workspace, as_json=args.json, settings=settings)


def _display_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shopwright", description="Shopwright service")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate, then serve the API and GraphQL")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default=None, help="overrides SHOPWRIGHT_LOG_LEVEL (default INFO)")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run an RQ worker (needs SHOPWRIGHT_REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    worker.set_defaults(func=cmd_worker)

    mig = sub.add_parser("migrate", help="upgrade the database to the latest migration")
    mig.set_defaults(func=cmd_migrate)

    ws = sub.add_parser("workspace", help="manage workspaces")
    ws_sub = ws.add_subparsers(dest="workspace_command", required=True)
    create = ws_sub.add_parser("create", help="create a workspace with its owner, an API key and a token")
    create.add_argument("--name", required=True)
    create.add_argument("--owner-email", required=True)
    create.add_argument("--plan", default="free", help="one of SHOPWRIGHT_PLANS (default: free, pro, growth)")
    create.add_argument("--credits", type=int, default=0)
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=cmd_workspace_create)

    analytics = sub.add_parser("analytics", help="store analytics tracking")
    analytics_sub = analytics.add_subparsers(dest="analytics_command", required=True)
    site = analytics_sub.add_parser("site", help="print a workspace's Matomo site id (created on first use)")
    site.add_argument("--workspace", required=True)
    site.add_argument("--json", action="store_true")
    site.set_defaults(func=cmd_analytics_site)

    credits = sub.add_parser("credits", help="manage workspaces' credits")
    credits_sub = credits.add_subparsers(dest="credits_command", required=True)
    grant = credits_sub.add_parser("grant", help="grant top-up credits to a workspace (recorded in its ledger)")
    grant.add_argument("--workspace", required=True, help="the workspace id")
    grant.add_argument("--amount", type=int, required=True)
    grant.add_argument("--note", default=None, help="why, kept in the ledger entry")
    grant.add_argument("--json", action="store_true")
    grant.set_defaults(func=cmd_credits_grant)
    spaces_cli.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
