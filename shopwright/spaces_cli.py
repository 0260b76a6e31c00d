"""``shopwright spaces create | add-member | remove-member | list``: the operator's way to manage spaces (the
space product post document covers only posting). Acts for the workspace: no credentials, the spaces' rules
only (``SpacesService.*_for``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from domain.accounts.repository import AccountsRepository
from domain.db import Database, NullDispatcher, UnitOfWork
from domain.errors import DomainError, InvalidInput
from domain.paging import PageRequest
from domain.spaces.models import ROLES
from domain.spaces.requests import DEFAULT_MAX_PRODUCTS, AddMember, CreateSpace
from domain.spaces.service import SpacesService
from domain.validation import parse_now
from shopwright.settings import Settings

LIST_LIMIT = 1000


def _settings() -> Settings:
    from shopwright.cli import _migrate, _settings

    settings = _settings()
    _migrate(settings)
    return settings


def _run(settings: Settings, work: Callable[[UnitOfWork], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        db = Database(settings.resolved_database_url())
        try:
            async with db.unit_of_work(NullDispatcher()) as uow:
                return await work(uow)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except InvalidInput as exc:
        problems = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in exc.field_errors)
        sys.exit(f"error: {problems or exc.message}")
    except DomainError as exc:
        sys.exit(f"error: {exc.message}")


def _print(result: dict[str, Any], as_json: bool, text: str) -> int:
    print(json.dumps(result) if as_json else text)
    return 0


async def _user_id(uow: UnitOfWork, email: str) -> int:
    user = await AccountsRepository(uow.session).get_user_by_email(email.strip().lower())
    if user is None:
        raise InvalidInput.field("email", f"No user has the email {email}.", rule="exists")
    return user.id


def cmd_create(args: argparse.Namespace) -> int:
    async def create(uow: UnitOfWork) -> dict[str, Any]:
        command = parse_now(CreateSpace, {"name": args.name, "maxProducts": args.max_products})
        owner = await _user_id(uow, args.owner_email)
        space = await SpacesService(uow).create_space_for(args.workspace, command, owner)
        return {"space_id": space.id, "name": space.name, "max_products": space.max_products, "owner_user_id": owner}

    result = _run(_settings(), create)
    return _print(
        result, args.json, f"Space {result['space_id']}: {result['name']} (max {result['max_products']} products)"
    )


def cmd_add_member(args: argparse.Namespace) -> int:
    async def add(uow: UnitOfWork) -> dict[str, Any]:
        command = parse_now(AddMember, {"email": args.email, "role": args.role, "notify": args.notify})
        member = await SpacesService(uow).add_member_for(args.workspace, args.space, command)
        return {"space_id": args.space, "user_id": member.user_id, "role": member.role, "notify": member.notify}

    result = _run(_settings(), add)
    notify = "notified of posts" if result["notify"] else "not notified"
    return _print(result, args.json, f"Added {args.email} to space {args.space} as {result['role']} ({notify}).")


def cmd_remove_member(args: argparse.Namespace) -> int:
    async def remove(uow: UnitOfWork) -> dict[str, Any]:
        user_id = await _user_id(uow, args.email)
        await SpacesService(uow).remove_member_for(args.workspace, args.space, user_id)
        return {"space_id": args.space, "removed_user_id": user_id}

    result = _run(_settings(), remove)
    return _print(result, args.json, f"Removed {args.email} from space {args.space}.")


def cmd_list(args: argparse.Namespace) -> int:
    async def listing(uow: UnitOfWork) -> dict[str, Any]:
        service = SpacesService(uow)
        page = await service.spaces_for(args.workspace, PageRequest(limit=LIST_LIMIT))
        spaces = []
        for space in page.items:
            members = await service.members_for(args.workspace, space.id)
            spaces.append(
                {
                    "space_id": space.id,
                    "name": space.name,
                    "max_products": space.max_products,
                    "product_count": space.product_count,
                    "members": [
                        {"email": m.user.email, "role": m.member.role, "notify": m.member.notify} for m in members
                    ],
                }
            )
        return {"workspace_id": args.workspace, "spaces": spaces, "total": page.total}

    result = _run(_settings(), listing)
    lines = [
        f"{s['space_id']}\t{s['name']}\t{s['product_count']}/{s['max_products']} products\t"
        + ", ".join(f"{m['email']} ({m['role']}{', notified' if m['notify'] else ''})" for m in s["members"])
        for s in result["spaces"]
    ]
    return _print(result, args.json, "\n".join(lines) or "No spaces.")


def add_parser(sub: Any) -> None:
    """``spaces ...`` under the ``shopwright`` command's subcommands."""
    spaces = sub.add_parser("spaces", help="manage spaces (groups of members who post products to each other)")
    spaces_sub = spaces.add_subparsers(dest="spaces_command", required=True)

    create = spaces_sub.add_parser("create", help="create a space with its first owner")
    create.add_argument("--workspace", required=True, help="the workspace id")
    create.add_argument("--name", required=True)
    create.add_argument("--owner-email", required=True, help="a member of the workspace: the space's first owner")
    create.add_argument("--max-products", type=int, default=DEFAULT_MAX_PRODUCTS)
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=cmd_create)

    add = spaces_sub.add_parser("add-member", help="add a workspace member to a space")
    add.add_argument("--workspace", required=True)
    add.add_argument("--space", type=int, required=True, help="the space id")
    add.add_argument("--email", required=True)
    add.add_argument("--role", choices=ROLES, default="member")
    add.add_argument("--notify", action="store_true", help="opt them in to email about other members' posts")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add_member)

    remove = spaces_sub.add_parser("remove-member", help="remove a member from a space")
    remove.add_argument("--workspace", required=True)
    remove.add_argument("--space", type=int, required=True)
    remove.add_argument("--email", required=True)
    remove.add_argument("--json", action="store_true")
    remove.set_defaults(func=cmd_remove_member)

    listing = spaces_sub.add_parser("list", help="a workspace's spaces with their members")
    listing.add_argument("--workspace", required=True)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)
