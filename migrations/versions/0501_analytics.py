"""store analytics: sites, raw hits, visitors, visits, actions, clicks, checkouts and daily rollups

Revision ID: 0501
Revises: 0001
Create Date: 2026-11-30 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0501"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0101", "0301")


def upgrade() -> None:
    op.create_table(
        "analytics_rejections",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "reason", name=op.f("pk_analytics_rejections")),
    )
    op.create_table(
        "analytics_daily_checkouts",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("checkouts", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_checkouts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "day", name=op.f("pk_analytics_daily_checkouts")),
    )
    op.create_table(
        "analytics_daily_clicks",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("affiliate", sa.Boolean(), nullable=False),
        sa.Column("merchant", sa.String(length=255), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_clicks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "day", "affiliate", "merchant", name=op.f("pk_analytics_daily_clicks")),
    )
    op.create_table(
        "analytics_daily_dimensions",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_dimensions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "dimension", "day", "value", name=op.f("pk_analytics_daily_dimensions")
        ),
    )
    op.create_table(
        "analytics_daily_pages",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("title", sa.String(length=512), nullable=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("entrances", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("exits", sa.Integer(), nullable=False),
        sa.Column("time_spent_seconds", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_pages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "day", "path", name=op.f("pk_analytics_daily_pages")),
    )
    op.create_table(
        "analytics_daily_visits",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("new_visitors", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.Column("pageviews", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_visits_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "day", name=op.f("pk_analytics_daily_visits")),
    )
    op.create_table(
        "analytics_hits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("ingest_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hit_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", JSON_TYPE, nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_hits_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_hits")),
        sa.UniqueConstraint("ingest_id", name=op.f("uq_analytics_hits_ingest_id")),
    )
    with op.batch_alter_table("analytics_hits", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_hits_workspace_received", ["workspace_id", "received_at"], unique=False)

    op.create_table(
        "analytics_sites",
        sa.Column("site_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_sites_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_analytics_sites")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_analytics_sites_workspace_id")),
    )
    op.create_table(
        "analytics_visitors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("visitor_key", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visits_count", sa.Integer(), nullable=False),
        sa.Column("actions_count", sa.Integer(), nullable=False),
        sa.Column("clicks_count", sa.Integer(), nullable=False),
        sa.Column("checkouts_count", sa.Integer(), nullable=False),
        sa.Column("device_type", sa.String(length=32), nullable=True),
        sa.Column("browser", sa.String(length=64), nullable=True),
        sa.Column("os", sa.String(length=64), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_visitors_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_visitors")),
    )
    with op.batch_alter_table("analytics_visitors", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_visitors_workspace_last_seen", ["workspace_id", "last_seen"], unique=False)
        batch_op.create_index("uq_analytics_visitors_workspace_key", ["workspace_id", "visitor_key"], unique=True)

    op.create_table(
        "analytics_daily_visitors",
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["analytics_visitors.id"],
            name=op.f("fk_analytics_daily_visitors_visitor_id_analytics_visitors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_daily_visitors_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "day", "visitor_id", name=op.f("pk_analytics_daily_visitors")),
    )
    with op.batch_alter_table("analytics_daily_visitors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_analytics_daily_visitors_visitor_id"), ["visitor_id"], unique=False)

    op.create_table(
        "analytics_visits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("visitor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("visit_number", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("first_action_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_action_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.Column("pageviews", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("entry_url", sa.String(length=2048), nullable=True),
        sa.Column("entry_path", sa.String(length=512), nullable=True),
        sa.Column("exit_url", sa.String(length=2048), nullable=True),
        sa.Column("exit_path", sa.String(length=512), nullable=True),
        sa.Column("referrer_type", sa.String(length=16), nullable=False),
        sa.Column("referrer_name", sa.String(length=255), nullable=True),
        sa.Column("referrer_url", sa.String(length=2048), nullable=True),
        sa.Column("referrer_keyword", sa.String(length=255), nullable=True),
        sa.Column("device_type", sa.String(length=32), nullable=False),
        sa.Column("device_brand", sa.String(length=64), nullable=True),
        sa.Column("device_model", sa.String(length=64), nullable=True),
        sa.Column("browser", sa.String(length=64), nullable=True),
        sa.Column("browser_version", sa.String(length=32), nullable=True),
        sa.Column("os", sa.String(length=64), nullable=True),
        sa.Column("os_version", sa.String(length=32), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["analytics_visitors.id"],
            name=op.f("fk_analytics_visits_visitor_id_analytics_visitors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_visits_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_visits")),
    )
    with op.batch_alter_table("analytics_visits", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_visits_workspace_day", ["workspace_id", "day"], unique=False)
        batch_op.create_index(
            "ix_analytics_visits_workspace_first_action", ["workspace_id", "first_action_at"], unique=False
        )
        batch_op.create_index(
            "ix_analytics_visits_workspace_visitor_last", ["workspace_id", "visitor_id", "last_action_at"], unique=False
        )

    op.create_table(
        "analytics_actions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("visitor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("path", sa.String(length=512), nullable=True),
        sa.Column("title", sa.String(length=512), nullable=True),
        sa.Column("event_category", sa.String(length=255), nullable=True),
        sa.Column("event_action", sa.String(length=255), nullable=True),
        sa.Column("event_name", sa.String(length=255), nullable=True),
        sa.Column("event_value", sa.Float(), nullable=True),
        sa.Column("search_keyword", sa.String(length=255), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("time_spent_seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_analytics_actions_product_id_catalog_products"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["analytics_visits.id"],
            name=op.f("fk_analytics_actions_visit_id_analytics_visits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["analytics_visitors.id"],
            name=op.f("fk_analytics_actions_visitor_id_analytics_visitors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_actions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_actions")),
    )
    with op.batch_alter_table("analytics_actions", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_actions_visit", ["visit_id", "created_at"], unique=False)
        batch_op.create_index("ix_analytics_actions_workspace_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_analytics_actions_workspace_visitor", ["workspace_id", "visitor_id", "created_at"], unique=False
        )

    op.create_table(
        "analytics_checkouts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=False),
        sa.Column("visit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("visitor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("items", JSON_TYPE, nullable=False),
        sa.Column("items_count", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.Column("subtotal", sa.Float(), nullable=True),
        sa.Column("tax", sa.Float(), nullable=True),
        sa.Column("shipping", sa.Float(), nullable=True),
        sa.Column("discount", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=10), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["analytics_visits.id"],
            name=op.f("fk_analytics_checkouts_visit_id_analytics_visits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["analytics_visitors.id"],
            name=op.f("fk_analytics_checkouts_visitor_id_analytics_visitors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_checkouts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_checkouts")),
    )
    with op.batch_alter_table("analytics_checkouts", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_checkouts_workspace_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index("uq_analytics_checkouts_workspace_order", ["workspace_id", "order_id"], unique=True)

    op.create_table(
        "analytics_clicks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("affiliate", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=2048), nullable=True),
        sa.Column("destination", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=10), nullable=True),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.Column("visitor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("visit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("clicked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["catalog_offers.id"],
            name=op.f("fk_analytics_clicks_offer_id_catalog_offers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_analytics_clicks_product_id_catalog_products"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["analytics_visits.id"],
            name=op.f("fk_analytics_clicks_visit_id_analytics_visits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["analytics_visitors.id"],
            name=op.f("fk_analytics_clicks_visitor_id_analytics_visitors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_analytics_clicks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_clicks")),
    )
    with op.batch_alter_table("analytics_clicks", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_clicks_workspace_clicked", ["workspace_id", "clicked_at"], unique=False)
        batch_op.create_index("ix_analytics_clicks_workspace_offer", ["workspace_id", "offer_id"], unique=False)
        batch_op.create_index("ix_analytics_clicks_workspace_product", ["workspace_id", "product_id"], unique=False)
        batch_op.create_index("ix_analytics_clicks_workspace_visitor", ["workspace_id", "visitor_id"], unique=False)


def downgrade() -> None:
    op.drop_table("analytics_clicks")
    op.drop_table("analytics_checkouts")
    op.drop_table("analytics_actions")
    op.drop_table("analytics_visits")
    op.drop_table("analytics_daily_visitors")
    op.drop_table("analytics_visitors")
    op.drop_table("analytics_sites")
    op.drop_table("analytics_hits")
    op.drop_table("analytics_daily_visits")
    op.drop_table("analytics_daily_pages")
    op.drop_table("analytics_daily_dimensions")
    op.drop_table("analytics_daily_clicks")
    op.drop_table("analytics_daily_checkouts")
    op.drop_table("analytics_rejections")
