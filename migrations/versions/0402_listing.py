"""listing studio assets and exports

Revision ID: 0402
Revises: 0401
Create Date: 2026-11-30 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0402"
down_revision: str | None = "0401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0101", "0005")


def upgrade() -> None:
    op.create_table(
        "listing_assets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("style", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("compliance", JSON_TYPE, nullable=False),
        sa.Column("renderer", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_listing_assets_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media_files.id"], name=op.f("fk_listing_assets_media_id_media_files"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_listing_assets_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_listing_assets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_assets")),
    )
    with op.batch_alter_table("listing_assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_assets_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_assets_media_id"), ["media_id"], unique=False)
        batch_op.create_index("ix_listing_assets_workspace_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index("ix_listing_assets_workspace_product", ["workspace_id", "product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("listing_assets", schema=None) as batch_op:
        batch_op.drop_index("ix_listing_assets_workspace_product")
        batch_op.drop_index("ix_listing_assets_workspace_created")
        batch_op.drop_index(batch_op.f("ix_listing_assets_media_id"))
        batch_op.drop_index(batch_op.f("ix_listing_assets_job_id"))

    op.drop_table("listing_assets")
