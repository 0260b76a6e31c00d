"""outgoing email notifications

Revision ID: 0801
Revises: 0001
Create Date: 2026-11-30 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0801"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_notifications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=998), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_email_notifications_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_email_notifications_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_notifications")),
    )
    with op.batch_alter_table("email_notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_notifications_job_id"), ["job_id"], unique=False)
        batch_op.create_index("ix_email_notifications_workspace_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_email_notifications_workspace_reference", ["workspace_id", "kind", "reference"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("email_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_email_notifications_workspace_reference")
        batch_op.drop_index("ix_email_notifications_workspace_created")
        batch_op.drop_index(batch_op.f("ix_email_notifications_job_id"))

    op.drop_table("email_notifications")
