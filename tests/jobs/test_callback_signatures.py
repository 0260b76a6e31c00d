"""Callback signatures (Standard Webhooks): the signature covers the delivery id and the attempt's timestamp,
so the receiver snippet documented in docs/jobs.md refuses a replayed delivery; the workspace's secret is
readable and rotatable by whoever manages its keys, and a rotation signs with both secrets for a while."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import secrets
import sqlite3
import types
from datetime import timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from domain.base import utcnow
from domain.jobs.callbacks import signature_headers
from shopwright.migrate import downgrade, upgrade
from tests.conftest import REPO_ROOT
from tests.support.callbacks import receiving, webhook_secret
from tests.support.factories import add_member, create_job
from tests.support.graphql import gql
from tests.support.jobs import wait_for

SECRET = "query { workspace { name webhookSecret } }"
ROTATE = """mutation($hours: Int!) {
  rotateWebhookSecret(keepPreviousHours: $hours) { webhookSecret workspace { webhookSecret } userErrors { field code } }
}"""


def documented_verifier() -> types.SimpleNamespace:
    """The receiver's verification function exactly as docs/jobs.md shows it, run in a namespace of its own
    (whose ``time`` a test may replace, to be "later")."""
    text = (REPO_ROOT / "docs" / "jobs.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify_webhook(" in b]
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "docs/jobs.md", "exec"), namespace)
    return types.SimpleNamespace(verify=namespace["verify_webhook"], namespace=namespace)


@pytest.fixture
async def delivered(app, services, workspace):
    """Runs a job against a receiver; gives the receiver (every callback delivered)."""
    async with contextlib.AsyncExitStack() as stack:

        async def run():
            receiver = await stack.enter_async_context(receiving())
            job_id = await create_job(services, workspace, params={"steps": 1}, callback_url=receiver.url)
            await wait_for(services, job_id, {"completed"})
            await app.state.runtime.queue.drain()
            assert len(receiver.requests) == 3
            return receiver

        yield run


async def test_replayed_delivery_with_an_old_timestamp_fails_the_documented_check(services, workspace, delivered):
    receiver = await delivered()
    secret = await webhook_secret(services, workspace)
    headers, body = receiver.requests[0]
    snippet = documented_verifier()
    assert snippet.verify(secret, headers, body)
    assert not snippet.verify("whsec_" + base64.b64encode(b"another secret of 32 bytes......").decode(), headers, body)
    assert not snippet.verify(secret, headers, body.replace(b'"queued"', b'"completed"'))

    # The same request replayed ten minutes later: too old.
    sent = int(headers["webhook-timestamp"])
    snippet.namespace["time"] = types.SimpleNamespace(time=lambda: sent + 600)
    assert not snippet.verify(secret, headers, body)
    # Given a fresh timestamp, it no longer matches its signature.
    snippet.namespace["time"] = types.SimpleNamespace(time=lambda: sent + 601)
    assert not snippet.verify(secret, {**headers, "webhook-timestamp": str(sent + 600)}, body)

    # A delivery signed ten minutes ago, checked now with the real clock: the snippet and the library agree.
    snippet = documented_verifier()
    old = signature_headers([secret], headers["webhook-id"], utcnow() - timedelta(minutes=10), body, legacy_secret="")
    assert not snippet.verify(secret, old, body)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, old)
    fresh = signature_headers([secret], headers["webhook-id"], utcnow(), body, legacy_secret="")
    assert snippet.verify(secret, fresh, body) and Webhook(secret).verify(body, fresh)["status"] == "queued"


async def test_webhook_secret_is_a_standard_secret_readable_by_key_managers_only(client, services, workspace):
    status, body = await gql(client, SECRET, token=workspace.access_token)
    assert status == 200 and "errors" not in body, body
    secret = body["data"]["workspace"]["webhookSecret"]
    assert secret == await webhook_secret(services, workspace)
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32

    staff = await add_member(services, workspace, "staff@example.com", "staff")
    _, body = await gql(client, SECRET, token=staff)
    assert body["data"]["workspace"] == {"name": "Workspace A", "webhookSecret": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["workspace", "webhookSecret"], "FORBIDDEN")
    ]
    _, body = await gql(client, ROTATE, {"hours": 24}, token=staff)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await webhook_secret(services, workspace) == secret


async def test_rotation_signs_with_both_secrets_until_the_previous_one_is_dropped(
    client, services, workspace, delivered
):
    old = await webhook_secret(services, workspace)
    _, body = await gql(client, ROTATE, {"hours": 24}, token=workspace.access_token)
    rotated = body["data"]["rotateWebhookSecret"]
    new = rotated["webhookSecret"]
    assert rotated["userErrors"] == [] and rotated["workspace"]["webhookSecret"] == new
    assert new.startswith("whsec_") and new != old
    receiver = await delivered()
    snippet = documented_verifier()
    for headers, raw in receiver.requests:
        assert len(headers["webhook-signature"].split()) == 2
        assert Webhook(new).verify(raw, headers) and Webhook(old).verify(raw, headers)
        assert snippet.verify(new, headers, raw) and snippet.verify(old, headers, raw)

    _, body = await gql(client, ROTATE, {"hours": 0}, token=workspace.access_token)
    newest = body["data"]["rotateWebhookSecret"]["webhookSecret"]
    receiver = await delivered()
    for headers, raw in receiver.requests:
        assert len(headers["webhook-signature"].split()) == 1
        assert snippet.verify(newest, headers, raw)
        assert not snippet.verify(new, headers, raw) and not snippet.verify(old, headers, raw)

    _, body = await gql(client, ROTATE, {"hours": 169}, token=workspace.access_token)
    assert body["data"]["rotateWebhookSecret"]["userErrors"] == [
        {"field": "keepPreviousHours", "code": "INVALID_INPUT"}
    ]
    assert await webhook_secret(services, workspace) == newest


async def test_migration_turns_existing_secrets_into_standard_ones_with_the_same_bytes(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    old = secrets.token_urlsafe(32)
    await asyncio.to_thread(upgrade, url, "0002")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO workspaces (id, name, plan, credit_balance, webhook_secret, created_at) "
            "VALUES ('w1', 'Old', 'free', 0, ?, '2026-01-01 00:00:00')",
            (old,),
        )
    await asyncio.to_thread(upgrade, url, "0003")
    with sqlite3.connect(path) as db:
        (secret,) = db.execute("SELECT webhook_secret FROM workspaces").fetchone()
    assert secret.startswith("whsec_")
    assert base64.b64decode(secret.removeprefix("whsec_")) == base64.urlsafe_b64decode(old + "=")
    await asyncio.to_thread(downgrade, url, "0002")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT webhook_secret FROM workspaces").fetchone() == (old,)
