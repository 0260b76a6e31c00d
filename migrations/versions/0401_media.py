"""media files and product images

Revision ID: 0401
Revises: 0001
Create Date: 2026-11-30 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0401"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0101",)


def upgrade() -> None:
    op.create_table(
        "media_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_media_files_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("workspace_id", "sha256", name=op.f("uq_media_files_workspace_id_sha256")),
    )
    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_files_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "catalog_product_images",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("source_url", sa.String(length=2048), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_files.id"],
            name=op.f("fk_catalog_product_images_media_id_media_files"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_catalog_product_images_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_catalog_product_images_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_product_images")),
    )
    with op.batch_alter_table("catalog_product_images", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_product_images_product_position", ["product_id", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_catalog_product_images_media_id"), ["media_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_catalog_product_images_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("catalog_product_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_product_images_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_catalog_product_images_media_id"))
        batch_op.drop_index("ix_catalog_product_images_product_position")
    op.drop_table("catalog_product_images")

    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_files_workspace_id"))
    op.drop_table("media_files")
