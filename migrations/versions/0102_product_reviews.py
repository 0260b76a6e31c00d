"""product reviews (catalog) and review summaries stored by output id (content analysis)

Revision ID: 0102
Revises: 0101
Create Date: 2026-11-30 08:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0102"
down_revision: str | None = "0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_product_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("rating", sa.Float(), nullable=True),
        sa.Column("author", sa.String(length=255), nullable=True),
        sa.Column("external_review_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_catalog_product_reviews_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_catalog_product_reviews_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_product_reviews")),
        sa.UniqueConstraint(
            "workspace_id",
            "product_id",
            "external_review_id",
            name="uq_catalog_product_reviews_external",
        ),
    )
    with op.batch_alter_table("catalog_product_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_product_reviews_product_order", ["workspace_id", "product_id", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_catalog_product_reviews_product_id"), ["product_id"], unique=False)

    op.create_table(
        "content_review_summaries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("output_id", sa.String(length=255), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("summary", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_content_review_summaries_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_review_summaries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_review_summaries")),
        sa.UniqueConstraint(
            "workspace_id", "output_id", name=op.f("uq_content_review_summaries_workspace_id_output_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("content_review_summaries")
    with op.batch_alter_table("catalog_product_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_product_reviews_product_id"))
        batch_op.drop_index("ix_catalog_product_reviews_product_order")
    op.drop_table("catalog_product_reviews")
