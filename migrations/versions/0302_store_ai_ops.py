"""store AI operations: logo and stock-text state, image attribution

Revision ID: 0302
Revises: 0301
Create Date: 2026-11-30 11:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0302"
down_revision: str | None = "0301"
branch_labels: str | Sequence[str] | None = None
# H14: store_images refers to media_files (0401).
depends_on: str | Sequence[str] | None = ("0401",)


def upgrade() -> None:
    # --- H13: store AI operations (stock texts, generated logo) ---
    op.create_table(
        "store_texts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_store_texts_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_texts")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_store_texts_workspace_id_key")),
    )
    with op.batch_alter_table("store_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_texts_workspace_id"), ["workspace_id"], unique=False)
    op.create_table(
        "store_logos",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("niche", sa.String(length=255), nullable=False),
        sa.Column("style", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_store_logos_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_store_logos")),
    )
    # --- end H13 ---
    # --- H14: the images of store rows' image slots (domain/store/image_models.py) ---
    op.create_table(
        "store_images",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("search_term", sa.String(length=255), nullable=True),
        sa.Column("attribution", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media_files.id"], name=op.f("fk_store_images_media_id_media_files"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_store_images_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_images")),
        sa.UniqueConstraint(
            "workspace_id",
            "entity",
            "entity_id",
            "slot",
            name=op.f("uq_store_images_workspace_id_entity_entity_id_slot"),
        ),
    )
    with op.batch_alter_table("store_images", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_images_media_id"), ["media_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_store_images_workspace_id"), ["workspace_id"], unique=False)
    # --- end H14 ---


def downgrade() -> None:
    # --- H14 ---
    with op.batch_alter_table("store_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_images_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_store_images_media_id"))
    op.drop_table("store_images")
    # --- end H14 ---
    # --- H13 ---
    op.drop_table("store_logos")
    with op.batch_alter_table("store_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_texts_workspace_id"))
    op.drop_table("store_texts")
    # --- end H13 ---
