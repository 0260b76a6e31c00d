"""The GraphQL types of the store's analytics (``schema.analytics``), and how domain rows become them."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.analytics import models
from domain.analytics.reports import Breakdown, PageReport

OLDEST_FIRST = "Oldest first; zeros where nothing happened."


@strawberry.enum(description="How a report's days are grouped.")
class AnalyticsPeriod(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@strawberry.enum(description="What a tracked action was.")
class AnalyticsActionType(Enum):
    PAGEVIEW = "pageview"
    EVENT = "event"
    OUTLINK = "outlink"
    DOWNLOAD = "download"
    SEARCH = "search"
    ECOMMERCE = "ecommerce"


@strawberry.type(description="One period of the visits summary.")
class AnalyticsVisitsPeriod:
    label: str = strawberry.field(description="2026-03-06 (day), 2026-03-02,2026-03-08 (week), 2026-03 (month).")
    start: date
    unique_visitors: int
    visits: int
    actions: int


@strawberry.type(description="One value of a breakdown (a country, a device type, a source) over the range.")
class AnalyticsBreakdown:
    rank: int
    value: str = strawberry.field(description="A country code, a device type, a source name.")
    name: str = strawberry.field(description="How the value reads (a country's English name).")
    visitors: int = strawberry.field(description="The sum of each day's distinct visitors.")
    visits: int
    actions: int
    visit_duration_seconds: int


@strawberry.type(description="A page (URL path) over the range, with Matomo's page metrics.")
class AnalyticsPage:
    rank: int
    path: str
    title: str | None
    visitors: int = strawberry.field(description="The sum of each day's distinct visitors.")
    hits: int = strawberry.field(description="Page views.")
    visits: int = strawberry.field(description="Visits that viewed the page.")
    average_time_on_page: int = strawberry.field(description="Seconds, over the visits that viewed the page.")
    bounce_rate: int = strawberry.field(description="Percent of the visits entering here with one action only.")
    exit_rate: int = strawberry.field(description="Percent of the visits viewing the page that left from it.")


@strawberry.type
class AnalyticsVisit:
    id: int
    visitor_id: int
    visit_number: int = strawberry.field(description="The visitor's how-many-th visit this is.")
    ip_address: str | None
    country_code: str | None
    region: str | None
    city: str | None
    actions: int
    pageviews: int
    events: int
    duration_seconds: int
    referrer_type: str
    referrer_name: str | None
    device_type: str
    browser: str | None
    os: str | None
    entry_path: str | None
    exit_path: str | None
    first_action_at: datetime
    last_action_at: datetime


@strawberry.type
class AnalyticsVisitor:
    id: int
    matomo_visitor_id: str
    first_seen: datetime
    last_seen: datetime
    visits_count: int
    actions_count: int
    clicks_count: int
    checkouts_count: int


@strawberry.type
class AnalyticsAction:
    id: int
    visit_id: int
    visitor_id: int
    type: str
    url: str | None
    title: str | None
    time_spent_seconds: int | None
    created_at: datetime


@strawberry.type
class AnalyticsClick:
    id: int
    product_id: int | None
    offer_id: int | None
    affiliate: bool
    source: str | None
    destination: str
    url: str | None
    price: float | None
    revenue: float
    clicked_at: datetime


@strawberry.type
class AnalyticsCheckout:
    id: int
    order_id: str
    visit_id: int | None
    items: JSON
    total: float
    currency: str | None
    country: str | None
    created_at: datetime


@strawberry.type
class AnalyticsMerchantClicks:
    merchant: str
    clicks: int
    revenue: float


@strawberry.type
class AnalyticsClicksPeriod:
    label: str
    start: date
    clicks: int
    affiliate_clicks: int
    revenue: float


@strawberry.type
class AnalyticsClicksSummary:
    total_clicks: int
    affiliate_clicks: int
    affiliate_revenue: float
    by_merchant: list[AnalyticsMerchantClicks]
    periods: list[AnalyticsClicksPeriod] = strawberry.field(description=OLDEST_FIRST)


@strawberry.type
class AnalyticsCheckoutTotals:
    checkouts: int
    revenue: float


@strawberry.type
class AnalyticsCheckoutsPeriod:
    label: str
    start: date
    checkouts: int
    revenue: float


@strawberry.type
class AnalyticsCheckoutsSummary:
    today: AnalyticsCheckoutTotals
    this_month: AnalyticsCheckoutTotals
    all_time: AnalyticsCheckoutTotals
    periods: list[AnalyticsCheckoutsPeriod] = strawberry.field(
        description="Oldest first; zeros where nothing happened."
    )


@strawberry.type(description="AI tokens used this month (the store's calendar month).")
class AiTokenUsage:
    tokens_used: int
    tokens_limit: int | None = strawberry.field(description="Null: no monthly token cap (credits pay for AI).")
    tokens_remaining: int | None
    resets_at: date


def visit_type(v: models.AnalyticsVisit) -> AnalyticsVisit:
    return AnalyticsVisit(
        id=v.id, visitor_id=v.visitor_id, visit_number=v.visit_number, ip_address=v.ip_address,
        country_code=v.country_code, region=v.region, city=v.city, actions=v.actions, pageviews=v.pageviews,
        events=v.events, duration_seconds=v.duration_seconds, referrer_type=v.referrer_type,
        referrer_name=v.referrer_name, device_type=v.device_type, browser=v.browser, os=v.os,
        entry_path=v.entry_path, exit_path=v.exit_path, first_action_at=v.first_action_at,
        last_action_at=v.last_action_at,
    )  # fmt: skip


def visitor_type(v: models.AnalyticsVisitor) -> AnalyticsVisitor:
    return AnalyticsVisitor(
        id=v.id, matomo_visitor_id=v.visitor_key, first_seen=v.first_seen, last_seen=v.last_seen,
        visits_count=v.visits_count, actions_count=v.actions_count, clicks_count=v.clicks_count,
        checkouts_count=v.checkouts_count,
    )  # fmt: skip


def action_type(a: models.AnalyticsAction) -> AnalyticsAction:
    return AnalyticsAction(
        id=a.id, visit_id=a.visit_id, visitor_id=a.visitor_id, type=a.type, url=a.url, title=a.title,
        time_spent_seconds=a.time_spent_seconds, created_at=a.created_at,
    )  # fmt: skip


def click_type(c: models.AnalyticsClick) -> AnalyticsClick:
    return AnalyticsClick(
        id=c.id, product_id=c.product_id, offer_id=c.offer_id, affiliate=c.affiliate, source=c.source,
        destination=c.destination, url=c.url, price=c.price, revenue=c.revenue, clicked_at=c.clicked_at,
    )  # fmt: skip


def checkout_type(c: models.AnalyticsCheckout) -> AnalyticsCheckout:
    return AnalyticsCheckout(
        id=c.id, order_id=c.order_id, visit_id=c.visit_id, items=cast(JSON, c.items), total=c.revenue,
        currency=c.currency, country=c.country_code, created_at=c.created_at,
    )  # fmt: skip


def breakdown_type(b: Breakdown) -> AnalyticsBreakdown:
    return AnalyticsBreakdown(
        rank=b.rank, value=b.value, name=b.name, visitors=b.visitors, visits=b.visits, actions=b.actions,
        visit_duration_seconds=b.duration_seconds,
    )  # fmt: skip


def page_type(p: PageReport) -> AnalyticsPage:
    return AnalyticsPage(
        rank=p.rank, path=p.path, title=p.title, visitors=p.visitors, hits=p.hits, visits=p.visits,
        average_time_on_page=p.average_time_on_page, bounce_rate=p.bounce_rate, exit_rate=p.exit_rate,
    )  # fmt: skip
