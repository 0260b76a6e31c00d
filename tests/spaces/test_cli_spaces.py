"""``shopwright spaces create | add-member | remove-member | list``, run as real subprocesses on a database of
their own."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(REPO_ROOT),
        "SHOPWRIGHT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "SHOPWRIGHT_SECRET_KEY": "cli-secret",
        "SHOPWRIGHT_DATA_DIR": str(tmp_path / "data"),
    }


async def cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "shopwright.cli", *args]
    return await asyncio.to_thread(
        subprocess.run, command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


async def test_the_spaces_commands(tmp_path: Path) -> None:
    env = _env(tmp_path)
    created = await cli(
        ["workspace", "create", "--name", "Camera shop", "--owner-email", "owner@example.com", "--json"], env, tmp_path
    )
    assert created.returncode == 0, created.stderr
    workspace_id = json.loads(created.stdout)["workspace_id"]
    with sqlite3.connect(tmp_path / "cli.db") as db:  # a second member of the workspace
        db.execute(
            "INSERT INTO users (email, created_at, updated_at) VALUES ('ann@example.com', '2026-01-01', '2026-01-01')"
        )
        user_id = db.execute("SELECT id FROM users WHERE email = 'ann@example.com'").fetchone()[0]
        db.execute(
            "INSERT INTO memberships (workspace_id, user_id, role, created_at, newsletter) VALUES (?, ?, 'staff', "
            "'2026-01-01', 1)",
            (workspace_id, user_id),
        )

    space = await cli(
        [
            "spaces",
            "create",
            "--workspace",
            workspace_id,
            "--name",
            "Wishlist",
            "--owner-email",
            "owner@example.com",
            "--max-products",
            "3",
            "--json",
        ],
        env,
        tmp_path,
    )
    assert space.returncode == 0, space.stderr
    made = json.loads(space.stdout)
    assert (made["name"], made["max_products"]) == ("Wishlist", 3)
    space_id = str(made["space_id"])

    added = await cli(
        [
            "spaces",
            "add-member",
            "--workspace",
            workspace_id,
            "--space",
            space_id,
            "--email",
            "ANN@example.com",
            "--notify",
        ],
        env,
        tmp_path,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"Added ANN@example.com to space {space_id} as member (notified of posts)."

    listed = await cli(["spaces", "list", "--workspace", workspace_id, "--json"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["spaces"] == [
        {
            "space_id": int(space_id),
            "name": "Wishlist",
            "max_products": 3,
            "product_count": 0,
            "members": [
                {"email": "owner@example.com", "role": "owner", "notify": False},
                {"email": "ann@example.com", "role": "member", "notify": True},
            ],
        }
    ]

    removed = await cli(
        ["spaces", "remove-member", "--workspace", workspace_id, "--space", space_id, "--email", "ann@example.com"],
        env,
        tmp_path,
    )
    assert removed.returncode == 0, removed.stderr

    for args, message in (
        (
            [
                "create",
                "--workspace",
                workspace_id,
                "--name",
                "X",
                "--owner-email",
                "owner@example.com",
                "--max-products",
                "0",
            ],
            "maxproducts: must be between 1",
        ),
        (["create", "--workspace", workspace_id, "--name", "X", "--owner-email", "nobody@example.com"], "no user"),
        (["add-member", "--workspace", workspace_id, "--space", "999", "--email", "ann@example.com"], "no space"),
        (
            ["remove-member", "--workspace", workspace_id, "--space", space_id, "--email", "owner@example.com"],
            "at least one owner",
        ),
    ):
        refused = await cli(["spaces", *args], env, tmp_path)
        assert refused.returncode != 0 and refused.stdout.strip() == ""
        assert message in refused.stderr.lower() and "Traceback" not in refused.stderr, refused.stderr
    with sqlite3.connect(tmp_path / "cli.db") as db:  # the refused ones changed nothing
        assert db.execute("SELECT count(*) FROM spaces").fetchone() == (1,)
        assert db.execute("SELECT role FROM space_members").fetchall() == [("owner",)]
