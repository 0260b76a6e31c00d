"""callbacks in order under a lease; webhook secrets in the Standard Webhooks form, with rotation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:00:00
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "whsec_"


def upgrade() -> None:
    with op.batch_alter_table("callback_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_callback_deliveries_job_id")
        batch_op.create_index("ix_callback_deliveries_job_seq", ["job_id", "event_seq"], unique=True)
        batch_op.create_index("ix_callback_deliveries_status_claimed", ["status", "claimed_until"], unique=False)
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("webhook_secret_previous", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("webhook_secret_previous_until", sa.DateTime(timezone=True), nullable=True))
    # The secrets were secrets.token_urlsafe(32) and were never shown to anyone, so no receiver holds them:
    # the same random bytes, re-encoded as Standard Webhooks secrets.
    _rewrite_secrets(lambda old: None if old.startswith(PREFIX) else PREFIX + _std(_urlsafe_bytes(old)))


def downgrade() -> None:
    _rewrite_secrets(
        lambda new: (
            base64.urlsafe_b64encode(base64.b64decode(new[len(PREFIX) :])).decode().rstrip("=")
            if new.startswith(PREFIX)
            else None
        )
    )
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("webhook_secret_previous_until")
        batch_op.drop_column("webhook_secret_previous")
    with op.batch_alter_table("callback_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_deliveries_status_claimed")
        batch_op.drop_index("ix_callback_deliveries_job_seq")
        batch_op.create_index("ix_callback_deliveries_job_id", ["job_id"], unique=False)
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")


def _urlsafe_bytes(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _std(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _rewrite_secrets(convert: Callable[[str], str | None]) -> None:
    workspaces = sa.table("workspaces", sa.column("id", sa.String), sa.column("webhook_secret", sa.String))
    connection = op.get_bind()
    for workspace_id, secret in connection.execute(sa.select(workspaces.c.id, workspaces.c.webhook_secret)).all():
        new = convert(secret)
        if new is not None:
            connection.execute(workspaces.update().where(workspaces.c.id == workspace_id).values(webhook_secret=new))
