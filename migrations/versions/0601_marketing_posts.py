"""marketing posts and storefront post entries

Revision ID: 0601
Revises: 0001
Create Date: 2026-11-30 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0601"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0101", "0401")


def upgrade() -> None:
    op.create_table(
        "marketing_posts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("angle", sa.String(length=32), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("hashtags", JSON_TYPE, nullable=False),
        sa.Column("cta", sa.String(length=255), nullable=False),
        sa.Column("overlays", JSON_TYPE, nullable=False),
        sa.Column("image_media_id", sa.String(length=36), nullable=True),
        sa.Column("image_type", sa.String(length=16), nullable=False),
        sa.Column("params", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_media_id"],
            ["media_files.id"],
            name=op.f("fk_marketing_posts_image_media_id_media_files"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_marketing_posts_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_marketing_posts_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_marketing_posts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketing_posts")),
    )
    with op.batch_alter_table("marketing_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketing_posts_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_marketing_posts_image_media_id"), ["image_media_id"], unique=False)
        batch_op.create_index(
            "ix_marketing_posts_workspace_product", ["workspace_id", "product_id", "created_at"], unique=False
        )

    op.create_table(
        "storefront_posts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["marketing_posts.id"],
            name=op.f("fk_storefront_posts_post_id_marketing_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_storefront_posts_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_storefront_posts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storefront_posts")),
        sa.UniqueConstraint("post_id", name=op.f("uq_storefront_posts_post_id")),
    )
    with op.batch_alter_table("storefront_posts", schema=None) as batch_op:
        batch_op.create_index("ix_storefront_posts_workspace_product", ["workspace_id", "product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("storefront_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_storefront_posts_workspace_product")
    op.drop_table("storefront_posts")
    with op.batch_alter_table("marketing_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_marketing_posts_workspace_product")
        batch_op.drop_index(batch_op.f("ix_marketing_posts_image_media_id"))
        batch_op.drop_index(batch_op.f("ix_marketing_posts_job_id"))
    op.drop_table("marketing_posts")
