"""The analytics reports' typed results: what the service answers and every surface renders.

Rates are computed here once, the way Matomo computes them, so REST and GraphQL cannot disagree:

- a page's **bounce rate**: of the visits that *entered* on the page, the share with one action only;
- a page's **exit rate**: of the visits that viewed the page, the share whose last page view it was;
- a page's **average time on page**: the time spent on it (until the visit's next page view) over the visits
  that viewed it, in whole seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, halves rounded up (0 when ``whole`` is 0)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def per(total: int, count: int) -> int:
    """``total / count`` in whole units, halves rounded up (0 when ``count`` is 0)."""
    if count <= 0:
        return 0
    return (2 * total + count) // (2 * count)


def money(value: float) -> float:
    """Revenue to the cent (the rollups add floats; the sums are reported as the amounts they stand for)."""
    return round(value + 0.0, 2)


@dataclass(frozen=True)
class VisitsPeriod:
    label: str  # day "2026-03-06", week "2026-03-02,2026-03-08", month "2026-03"
    start: date
    visitors: int  # distinct visitors in the period
    visits: int
    actions: int


@dataclass(frozen=True)
class Breakdown:
    """One value of a dimension (a country, a device type, a source) over the report's days."""

    rank: int  # 1 for the value with the most visits
    value: str
    name: str  # how it reads (a country's English name; the value itself elsewhere)
    visitors: int  # the sum of each day's distinct visitors, as Matomo sums them over a range
    visits: int
    actions: int
    duration_seconds: int


@dataclass(frozen=True)
class PageReport:
    rank: int  # 1 for the page with the most views
    path: str
    title: str | None
    visitors: int  # the sum of each day's distinct visitors
    hits: int  # page views
    visits: int  # visits that viewed it
    entrances: int
    bounces: int
    exits: int
    time_spent_seconds: int

    @property
    def average_time_on_page(self) -> int:
        return per(self.time_spent_seconds, self.visits)

    @property
    def bounce_rate(self) -> int:
        return percent(self.bounces, self.entrances)

    @property
    def exit_rate(self) -> int:
        return percent(self.exits, self.visits)


@dataclass(frozen=True)
class MerchantClicks:
    merchant: str
    clicks: int
    revenue: float


@dataclass(frozen=True)
class ClicksPeriod:
    label: str
    start: date
    clicks: int  # every click, affiliate and internal
    affiliate_clicks: int
    revenue: float  # affiliate commission


@dataclass(frozen=True)
class ClicksSummary:
    """Over the report's days: every click, the affiliate ones and their revenue, by merchant and by period."""

    total_clicks: int
    affiliate_clicks: int
    affiliate_revenue: float
    by_merchant: tuple[MerchantClicks, ...]  # affiliate clicks only, most clicks first
    periods: tuple[ClicksPeriod, ...]  # oldest first, every period (zeros where nothing happened)


@dataclass(frozen=True)
class CheckoutTotals:
    checkouts: int
    revenue: float


@dataclass(frozen=True)
class CheckoutsPeriod:
    label: str
    start: date
    checkouts: int
    revenue: float


@dataclass(frozen=True)
class CheckoutsSummary:
    today: CheckoutTotals
    this_month: CheckoutTotals
    all_time: CheckoutTotals
    periods: tuple[CheckoutsPeriod, ...]  # oldest first, every period (zeros where nothing happened)


@dataclass(frozen=True)
class TokenUsage:
    """AI tokens the workspace used this month (the store's calendar month), from the AI usage ledger."""

    tokens_used: int
    tokens_limit: int | None  # None: no monthly token cap (AI work is paid for with credits)
    tokens_remaining: int | None
    resets_at: date  # the first day of next month, in the store's timezone


@dataclass(frozen=True)
class ProductCounters:
    analytics_visits: int  # page views of the product's pages
    total_clicks: int
    affiliate_clicks: int
