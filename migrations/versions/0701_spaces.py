"""spaces, members and space product posts

Revision ID: 0701
Revises: 0001
Create Date: 2026-11-30 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0701"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0401",)


def upgrade() -> None:
    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("max_products", sa.Integer(), nullable=False),
        sa.Column("product_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_spaces_created_by_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_spaces_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spaces")),
    )
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spaces_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "space_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("notify", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_members_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_space_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_space_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_members")),
        sa.UniqueConstraint("space_id", "user_id", name=op.f("uq_space_members_space_id_user_id")),
    )
    with op.batch_alter_table("space_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_members_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_members_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "space_product_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("product_title", sa.Text(), nullable=False),
        sa.Column("product_currency_code", sa.String(length=3), nullable=False),
        sa.Column("product_price", sa.Text(), nullable=False),
        sa.Column("product_sale_price", sa.Text(), nullable=False),
        sa.Column("product_url", sa.Text(), nullable=False),
        sa.Column("product_product_id", sa.Text(), nullable=False),
        sa.Column("product_sku_id", sa.Text(), nullable=False),
        sa.Column("product_variant_options", sa.Text(), nullable=False),
        sa.Column("product_linked_products", sa.Text(), nullable=True),
        sa.Column("product_desired_quantity", sa.Float(), nullable=True),
        sa.Column("product_image_url", sa.Text(), nullable=True),
        sa.Column("notification_product_price", sa.String(length=30), nullable=True),
        sa.Column("image_media_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_media_id"],
            ["media_files.id"],
            name=op.f("fk_space_product_posts_image_media_id_media_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_product_posts_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_space_product_posts_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_space_product_posts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_product_posts")),
    )
    with op.batch_alter_table("space_product_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_product_posts_image_media_id"), ["image_media_id"], unique=False)
        batch_op.create_index("ix_space_product_posts_space_created", ["space_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_product_posts_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_product_posts_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("space_product_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_product_posts_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_space_product_posts_user_id"))
        batch_op.drop_index("ix_space_product_posts_space_created")
        batch_op.drop_index(batch_op.f("ix_space_product_posts_image_media_id"))
    op.drop_table("space_product_posts")

    with op.batch_alter_table("space_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_members_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_space_members_user_id"))
    op.drop_table("space_members")

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spaces_workspace_id"))
    op.drop_table("spaces")
