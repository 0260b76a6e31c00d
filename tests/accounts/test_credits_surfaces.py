"""Credits over GraphQL (``credits``, ``creditEntries``, ``grantCredits``: only for who manages billing) and
the ``shopwright credits grant`` command."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo, add_member, make_workspace
from tests.support.graphql import gql

REPO_ROOT = Path(__file__).resolve().parents[2]
CREDITS = "{ credits { creditsRemaining subscriptionCredits topupCredits plan renewsAt } workspace { creditBalance } }"
ENTRIES = """query($first: Int!, $after: String) { creditEntries(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { amount balanceAfter reason reference details createdAt } } } }"""
GRANT = """mutation($input: GrantCreditsInput!) { grantCredits(input: $input) {
  credits { creditsRemaining subscriptionCredits topupCredits } userErrors { field code message } } }"""


async def ask(client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    status, body = await gql(client, query, variables, token)
    assert status == 200, body
    return body


async def test_credits_show_both_pools_and_the_plan(client: httpx.AsyncClient, services: AppServices) -> None:
    ws = await make_workspace(services, plan="pro", credits=12)
    body = await ask(client, ws.api_key, CREDITS)
    credits = body["data"]["credits"]
    assert {k: credits[k] for k in ("creditsRemaining", "subscriptionCredits", "topupCredits", "plan")} == {
        "creditsRemaining": 512,
        "subscriptionCredits": 500,
        "topupCredits": 12,
        "plan": "pro",
    }
    assert credits["renewsAt"] is not None
    assert body["data"]["workspace"]["creditBalance"] == 512


async def test_an_owner_grants_top_up_credits_and_the_ledger_shows_every_entry(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    body = await ask(client, workspace.access_token, GRANT, {"input": {"amount": 25, "note": "  launch promo "}})
    payload = body["data"]["grantCredits"]
    assert payload == {
        "credits": {"creditsRemaining": 25, "subscriptionCredits": 0, "topupCredits": 25},
        "userErrors": [],
    }
    await ask(client, workspace.access_token, GRANT, {"input": {"amount": 5}})
    first = (await ask(client, workspace.api_key, ENTRIES, {"first": 1}))["data"]["creditEntries"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    newest = first["edges"][0]["node"]
    assert (newest["amount"], newest["balanceAfter"], newest["reason"]) == (5, 30, "grant")
    after = first["pageInfo"]["endCursor"]
    rest = (await ask(client, workspace.api_key, ENTRIES, {"first": 10, "after": after}))["data"]["creditEntries"]
    assert rest["pageInfo"]["hasNextPage"] is False
    [older] = [e["node"] for e in rest["edges"]]
    assert (older["amount"], older["balanceAfter"], older["reason"], older["reference"]) == (25, 25, "grant", None)
    assert older["details"] == {
        "note": "launch promo",
        "user_id": workspace.owner_user_id,
        "pools": {"subscription": 0, "topup": 25},
    }
    assert older["createdAt"]


async def test_bad_grants_answer_user_errors_and_change_nothing(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    for given, field in (
        ({"amount": 0}, "amount"),
        ({"amount": -4}, "amount"),
        ({"amount": 2, "note": "x" * 501}, "note"),
    ):
        payload = (await ask(client, workspace.access_token, GRANT, {"input": given}))["data"]["grantCredits"]
        assert payload["credits"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, "INVALID_INPUT")], payload
    body = await ask(client, workspace.access_token, CREDITS)
    assert body["data"]["credits"]["creditsRemaining"] == 0
    entries = await ask(client, workspace.access_token, ENTRIES, {"first": 5})
    assert entries["data"]["creditEntries"]["totalCount"] == 0
    for variables in ({"first": 0}, {"first": 101}, {"first": 5, "after": "not-a-cursor"}):
        refused = await ask(client, workspace.access_token, ENTRIES, variables)
        assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT", refused


async def test_only_who_manages_billing_may_grant(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    admin = await add_member(services, workspace, "admin@example.com", "admin")
    viewer = await add_member(services, workspace, "viewer@example.com", "viewer")
    async with services.unit_of_work() as uow:
        created = await services.accounts(uow.session).create_api_key(workspace.principal, name="ro", scopes=["read"])
    # Billing is the owner's (workspace.billing.manage): admins, viewers and read keys may only read it.
    for token in (admin, viewer, created.plaintext):
        status, body = await gql(client, GRANT, {"input": {"amount": 10}}, token)
        assert status == 403 and body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        assert body["errors"][0]["message"] == "This token does not have write access."
        assert (await ask(client, token, CREDITS))["data"]["credits"]["creditsRemaining"] == 0
    assert (await ask(client, workspace.api_key, ENTRIES, {"first": 5}))["data"]["creditEntries"]["totalCount"] == 0


async def test_each_workspace_sees_only_its_own_ledger(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    await ask(client, workspace.access_token, GRANT, {"input": {"amount": 3}})
    theirs = await ask(client, other_workspace.api_key, ENTRIES, {"first": 5})
    assert theirs["data"]["creditEntries"]["totalCount"] == 0
    assert (await ask(client, other_workspace.api_key, CREDITS))["data"]["credits"]["creditsRemaining"] == 0


# --- the command ---------------------------------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(REPO_ROOT)}
    env["SHOPWRIGHT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env["SHOPWRIGHT_SECRET_KEY"] = "cli-secret"
    env["SHOPWRIGHT_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


async def cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "shopwright.cli", *args]
    return await asyncio.to_thread(
        subprocess.run, command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


async def test_the_command_grants_top_up_credits_on_the_configured_plans(tmp_path: Path) -> None:
    env = _env(tmp_path, SHOPWRIGHT_PLANS=json.dumps({"free": 0, "studio": 900}))
    created = await cli(
        ["workspace", "create", "--name", "Studio", "--owner-email", "s@example.com", "--plan", "studio", "--json"],
        env,
        tmp_path,
    )
    assert created.returncode == 0, created.stderr
    workspace_id = json.loads(created.stdout)["workspace_id"]

    granted = await cli(
        ["credits", "grant", "--workspace", workspace_id, "--amount", "40", "--note", "refund by hand", "--json"],
        env,
        tmp_path,
    )
    assert granted.returncode == 0, granted.stderr
    assert json.loads(granted.stdout) == {
        "workspace_id": workspace_id,
        "granted": 40,
        "credits_remaining": 940,
        "subscription_credits": 900,
        "topup_credits": 40,
    }
    readable = await cli(["credits", "grant", "--workspace", workspace_id, "--amount", "2"], env, tmp_path)
    assert readable.returncode == 0, readable.stderr
    assert readable.stdout.strip() == (
        f"Granted 2 top-up credits to {workspace_id}: 942 remaining (900 subscription, 42 top-up)."
    )

    for args, message in (
        (["--workspace", workspace_id, "--amount", "0"], "from 1 to"),
        (["--workspace", workspace_id, "--amount", "5", "--note", "x" * 501], "at most 500"),
        (["--workspace", "no-such-workspace", "--amount", "5"], "workspace not found"),
    ):
        refused = await cli(["credits", "grant", *args, "--json"], env, tmp_path)
        assert refused.returncode != 0 and refused.stdout.strip() == ""
        assert message in refused.stderr.lower() and "Traceback" not in refused.stderr, refused.stderr
    with sqlite3.connect(tmp_path / "cli.db") as db:  # the refused ones changed nothing
        assert db.execute("SELECT subscription_credits, topup_credits FROM workspaces").fetchall() == [(900, 42)]
        reasons = db.execute("SELECT reason, amount FROM credit_entries ORDER BY id").fetchall()
    assert reasons == [("renewal", 900), ("grant", 40), ("grant", 2)]
