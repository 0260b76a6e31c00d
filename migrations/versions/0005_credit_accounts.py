"""credit accounts: subscription and top-up credits, plan renewal, credits charged by jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every credit a workspace held was bought or granted by hand: it carries over as top-up credits.
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subscription_credits", sa.BigInteger(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("topup_credits", sa.BigInteger(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("previous_subscription_credits", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("plan_renews_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE workspaces SET topup_credits = credit_balance")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("credit_balance")
        batch_op.create_check_constraint(
            op.f("ck_workspaces_credits_not_negative"), "subscription_credits >= 0 AND topup_credits >= 0"
        )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credits_charged", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("credit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_credit_entries_workspace_reference", ["workspace_id", "reference"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_entries_workspace_reference")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("credits_charged")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_balance", sa.BigInteger(), server_default="0", nullable=False))
    op.execute("UPDATE workspaces SET credit_balance = subscription_credits + topup_credits")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_workspaces_credits_not_negative"), type_="check")
        batch_op.drop_column("plan_renews_at")
        batch_op.drop_column("previous_subscription_credits")
        batch_op.drop_column("topup_credits")
        batch_op.drop_column("subscription_credits")
