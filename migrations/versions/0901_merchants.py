"""merchant connections (encrypted credentials) and merchant item state on offers

Revision ID: 0901
Revises: 0001
Create Date: 2026-11-30 11:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0901"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0101",)

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "merchant_connections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("merchant", sa.String(length=32), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("settings", JSON_TYPE, nullable=False),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_merchant_connections_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchant_connections")),
        sa.UniqueConstraint("workspace_id", "merchant", name="uq_merchant_connections_workspace_merchant"),
    )
    op.create_table(
        "merchant_offer_states",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["catalog_offers.id"],
            name=op.f("fk_merchant_offer_states_offer_id_catalog_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_merchant_offer_states_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_merchant_offer_states")),
    )
    with op.batch_alter_table("merchant_offer_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merchant_offer_states_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("merchant_offer_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merchant_offer_states_workspace_id"))
    op.drop_table("merchant_offer_states")
    op.drop_table("merchant_connections")
