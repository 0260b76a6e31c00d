"""Store analytics data: what the Matomo-protocol tracker and the ``/go`` redirect record, and the daily rollups
the summaries read.

Three layers:

- **raw hits** (``analytics_hits``): every accepted tracker request, append-only, as received (IP already
  anonymised), for audit and replay. ``ingest_id`` is assigned when the hit is accepted, so a batch delivered
  twice (a Redis stream entry re-claimed after a crash between commit and ack) is written once.
- **facts**: visitors, visits (sessions: 30 minutes of inactivity starts a new one), actions (page views,
  events, outlinks, downloads, site searches, ecommerce orders), clicks and checkouts.
- **daily rollups**, kept current incrementally in the same transaction as the facts. ``day`` is the date in
  the store's timezone (the ``store_timezone`` setting) at the time the batch was written. A visit and
  everything in it (its actions, duration, bounce, exit) counts on the day it *started*, as Matomo does.
  ``visitors`` columns are the distinct visitors of that one day (and dimension value); distinct visitors
  over a longer period come from ``analytics_daily_visitors`` (one row per visitor per day) for the site
  total, and are the sum of daily uniques per dimension value (Matomo's ``sum_daily_nb_uniq_visitors``).

Vocabularies (stored as plain strings):

- ``AnalyticsAction.type``: ``pageview``, ``event``, ``outlink``, ``download``, ``search`` (an ecommerce order is a
  checkout, not an action, as in Matomo).
- ``AnalyticsVisit.referrer_type``: ``direct``, ``search``, ``social``, ``website``, ``campaign``.
- ``AnalyticsVisit.device_type``: ``Desktop``, ``Smartphone``, ``Tablet``, ``Bot``, ``Other``
  (Matomo's labels; ``Other`` when the user agent says nothing).
- ``AnalyticsDailyDimension.dimension``: ``country`` (ISO code, upper case, ``XX`` unknown), ``region``
  (``<country>-<region code>``), ``device`` (device type), ``browser``, ``os``, ``referrer_type``, ``source``
  (the referrer's name: ``Google``, ``facebook.com``, a campaign name, ``Direct Entry``).
- ``AnalyticsClick.origin``: ``redirect`` (``/go/{offer_id}``) or ``tracker`` (an internal click event).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, utcnow

# 64-bit ids where rows are many; SQLite only autoincrements an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

URL_MAX = 2048
PATH_MAX = 512
TITLE_MAX = 512
LABEL_MAX = 255
DIRECT_ENTRY = "Direct Entry"


class AnalyticsSite(Base):
    """A workspace's public Matomo site id (``idsite``); created the first time it is asked for."""

    __tablename__ = "analytics_sites"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnalyticsHit(Base):
    """One accepted tracker request, as received (append-only)."""

    __tablename__ = "analytics_hits"
    __table_args__ = (Index("ix_analytics_hits_workspace_received", "workspace_id", "received_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ingest_id: Mapped[str] = mapped_column(String(32), unique=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the action happened: ``cdt`` when the tracker sent one (bulk replays), else ``received_at``.
    hit_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    # The tracker's query parameters, as sent (every value a string).
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)  # anonymised
    user_agent: Mapped[str | None] = mapped_column(Text, nullable=True)
    # From the trusted proxy's headers or the GeoIP database, at acceptance.
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    region: Mapped[str | None] = mapped_column(String(10), nullable=True)
    city: Mapped[str | None] = mapped_column(String(255), nullable=True)


class AnalyticsVisitor(Base):
    __tablename__ = "analytics_visitors"
    __table_args__ = (
        Index("uq_analytics_visitors_workspace_key", "workspace_id", "visitor_key", unique=True),
        Index("ix_analytics_visitors_workspace_last_seen", "workspace_id", "last_seen"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # Matomo's visitor id: 16 hex digits (``cid``, else derived from ``uid``, else ``_id``, else a fingerprint).
    visitor_key: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str | None] = mapped_column(String(255), nullable=True)  # ``uid``
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    visits_count: Mapped[int] = mapped_column(Integer, default=0)
    actions_count: Mapped[int] = mapped_column(Integer, default=0)
    clicks_count: Mapped[int] = mapped_column(Integer, default=0)
    checkouts_count: Mapped[int] = mapped_column(Integer, default=0)
    # As of the latest visit.
    device_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    browser: Mapped[str | None] = mapped_column(String(64), nullable=True)
    os: Mapped[str | None] = mapped_column(String(64), nullable=True)
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    region: Mapped[str | None] = mapped_column(String(10), nullable=True)


class AnalyticsVisit(Base):
    """A session: a visitor's actions with no gap of 30 minutes or more."""

    __tablename__ = "analytics_visits"
    __table_args__ = (
        Index("ix_analytics_visits_workspace_first_action", "workspace_id", "first_action_at"),
        Index("ix_analytics_visits_workspace_visitor_last", "workspace_id", "visitor_id", "last_action_at"),
        Index("ix_analytics_visits_workspace_day", "workspace_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    visitor_id: Mapped[int] = mapped_column(ForeignKey("analytics_visitors.id", ondelete="CASCADE"))
    # The visitor's how-many-th visit this is (Matomo's ``visitor_count_visits``).
    visit_number: Mapped[int] = mapped_column(Integer, default=1)
    day: Mapped[date] = mapped_column(Date)  # first action's date in the store's timezone
    first_action_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_action_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    actions: Mapped[int] = mapped_column(Integer, default=0)  # every action, events included
    pageviews: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    entry_url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    entry_path: Mapped[str | None] = mapped_column(String(PATH_MAX), nullable=True)
    exit_url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    exit_path: Mapped[str | None] = mapped_column(String(PATH_MAX), nullable=True)
    referrer_type: Mapped[str] = mapped_column(String(16), default="direct")
    referrer_name: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    referrer_url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    referrer_keyword: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    device_type: Mapped[str] = mapped_column(String(32), default="Other")
    device_brand: Mapped[str | None] = mapped_column(String(64), nullable=True)
    device_model: Mapped[str | None] = mapped_column(String(64), nullable=True)
    browser: Mapped[str | None] = mapped_column(String(64), nullable=True)
    browser_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    os: Mapped[str | None] = mapped_column(String(64), nullable=True)
    os_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(16), nullable=True)
    language: Mapped[str | None] = mapped_column(String(32), nullable=True)
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    region: Mapped[str | None] = mapped_column(String(10), nullable=True)
    city: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)  # anonymised
    user_id: Mapped[str | None] = mapped_column(String(255), nullable=True)


class AnalyticsAction(Base):
    __tablename__ = "analytics_actions"
    __table_args__ = (
        Index("ix_analytics_actions_workspace_created", "workspace_id", "created_at"),
        Index("ix_analytics_actions_visit", "visit_id", "created_at"),
        Index("ix_analytics_actions_workspace_visitor", "workspace_id", "visitor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("analytics_visits.id", ondelete="CASCADE"))
    visitor_id: Mapped[int] = mapped_column(ForeignKey("analytics_visitors.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    path: Mapped[str | None] = mapped_column(String(PATH_MAX), nullable=True)  # the page label
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX), nullable=True)
    event_category: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    event_action: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    event_name: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    event_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    search_keyword: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    # The catalog product the page shows, when the URL or the ecommerce view names one.
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="SET NULL"), nullable=True
    )
    # Until the visit's next page view (Matomo's time spent); None for the visit's last page.
    time_spent_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AnalyticsClick(Base):
    """A click on an offer: an affiliate outbound click or an internal one."""

    __tablename__ = "analytics_clicks"
    __table_args__ = (
        Index("ix_analytics_clicks_workspace_clicked", "workspace_id", "clicked_at"),
        Index("ix_analytics_clicks_workspace_product", "workspace_id", "product_id"),
        Index("ix_analytics_clicks_workspace_offer", "workspace_id", "offer_id"),
        Index("ix_analytics_clicks_workspace_visitor", "workspace_id", "visitor_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_offers.id", ondelete="SET NULL"), nullable=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="SET NULL"), nullable=True
    )
    affiliate: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)  # the page clicked from
    destination: Mapped[str] = mapped_column(String(LABEL_MAX), default="")  # merchant name
    url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    price: Mapped[float | None] = mapped_column(Float, nullable=True)  # at the time of the click
    currency: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Estimated affiliate commission: price x the merchant's commission rate at the time (0 for internal).
    revenue: Mapped[float] = mapped_column(Float, default=0.0)
    visitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("analytics_visitors.id", ondelete="SET NULL"), nullable=True
    )
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("analytics_visits.id", ondelete="SET NULL"), nullable=True)
    day: Mapped[date] = mapped_column(Date)
    clicked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AnalyticsCheckout(Base):
    """An ecommerce order the tracker reported (``idgoal=0`` with ``ec_id``); one row per order id."""

    __tablename__ = "analytics_checkouts"
    __table_args__ = (
        Index("uq_analytics_checkouts_workspace_order", "workspace_id", "order_id", unique=True),
        Index("ix_analytics_checkouts_workspace_created", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(255))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("analytics_visits.id", ondelete="SET NULL"), nullable=True)
    visitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("analytics_visitors.id", ondelete="SET NULL"), nullable=True
    )
    # [{"sku", "name", "category", "price", "quantity"}], from ``ec_items``.
    items: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    items_count: Mapped[int] = mapped_column(Integer, default=0)  # sum of quantities
    revenue: Mapped[float] = mapped_column(Float, default=0.0)  # the order total
    subtotal: Mapped[float | None] = mapped_column(Float, nullable=True)
    tax: Mapped[float | None] = mapped_column(Float, nullable=True)
    shipping: Mapped[float | None] = mapped_column(Float, nullable=True)
    discount: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(10), nullable=True)
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- daily rollups (store-timezone days) ----


class AnalyticsDailyVisits(Base):
    __tablename__ = "analytics_daily_visits"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    new_visitors: Mapped[int] = mapped_column(Integer, default=0)
    actions: Mapped[int] = mapped_column(Integer, default=0)
    pageviews: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    bounces: Mapped[int] = mapped_column(Integer, default=0)  # visits with one action
    duration_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class AnalyticsDailyVisitor(Base):
    """That a visitor visited on a day: distinct visitors over any period are counted here."""

    __tablename__ = "analytics_daily_visitors"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visitor_id: Mapped[int] = mapped_column(
        ForeignKey("analytics_visitors.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AnalyticsDailyPage(Base):
    """Per page (URL path) and day, Matomo's page metrics."""

    __tablename__ = "analytics_daily_pages"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    path: Mapped[str] = mapped_column(String(PATH_MAX), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX), nullable=True)  # the latest seen
    hits: Mapped[int] = mapped_column(Integer, default=0)  # page views
    visits: Mapped[int] = mapped_column(Integer, default=0)  # visits that viewed it (unique page views)
    visitors: Mapped[int] = mapped_column(Integer, default=0)  # distinct visitors that day
    entrances: Mapped[int] = mapped_column(Integer, default=0)  # visits that started on it
    bounces: Mapped[int] = mapped_column(Integer, default=0)  # visits that started on it with one action
    exits: Mapped[int] = mapped_column(Integer, default=0)  # visits whose last page view it is
    time_spent_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class AnalyticsDailyDimension(Base):
    """Per dimension value (country, region, device, browser, os, referrer_type, source) and day."""

    __tablename__ = "analytics_daily_dimensions"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[str] = mapped_column(String(LABEL_MAX), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    actions: Mapped[int] = mapped_column(Integer, default=0)
    bounces: Mapped[int] = mapped_column(Integer, default=0)
    duration_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class AnalyticsDailyClicks(Base):
    """Per day, kind (affiliate or internal) and merchant (``""`` when the click names none)."""

    __tablename__ = "analytics_daily_clicks"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    affiliate: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    merchant: Mapped[str] = mapped_column(String(LABEL_MAX), primary_key=True)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[float] = mapped_column(Float, default=0.0)


class AnalyticsDailyCheckouts(Base):
    __tablename__ = "analytics_daily_checkouts"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    checkouts: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsRejection(Base):
    """Tracker requests answered but not recorded, per UTC day and reason (``unknown_site``, ``invalid``)."""

    __tablename__ = "analytics_rejections"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
