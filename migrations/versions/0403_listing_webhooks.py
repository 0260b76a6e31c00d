"""workspace webhook subscriptions; callback deliveries of a job or of a subscription

Revision ID: 0403
Revises: 0402
Create Date: 2026-11-30 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0403"
down_revision: str | None = "0402"
branch_labels: str | Sequence[str] | None = None
# 0003 (the ordered deliveries this extends) comes before through 0402's dependency on 0005; naming it here
# too makes Alembic refuse to downgrade this revision ("0402 overlaps with other requested revisions 0003").
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("events", JSON_TYPE, nullable=False),
        sa.Column("credits_low_threshold", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_webhook_subscriptions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_subscriptions_workspace_id"), ["workspace_id"], unique=False)

    with op.batch_alter_table("callback_deliveries", schema=None) as batch_op:
        batch_op.alter_column("job_id", existing_type=sa.String(length=36), nullable=True)
        batch_op.add_column(sa.Column("subscription_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_callback_deliveries_subscription_id_webhook_subscriptions"),
            "webhook_subscriptions",
            ["subscription_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_callback_deliveries_subscription_seq", ["subscription_id", "event_seq"], unique=True)


def downgrade() -> None:
    # Deliveries of subscriptions have no job: they go with the subscriptions.
    op.execute("DELETE FROM callback_deliveries WHERE job_id IS NULL")
    with op.batch_alter_table("callback_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_deliveries_subscription_seq")
        batch_op.drop_constraint(
            batch_op.f("fk_callback_deliveries_subscription_id_webhook_subscriptions"), type_="foreignkey"
        )
        batch_op.drop_column("subscription_id")
        batch_op.alter_column("job_id", existing_type=sa.String(length=36), nullable=False)

    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_subscriptions_workspace_id"))
    op.drop_table("webhook_subscriptions")
