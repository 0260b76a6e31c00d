"""The analytics reports' rules: who may read them, which days a request names (in the store's timezone), and
how daily rollups add up into periods. SQL lives in ``domain.analytics.queries``; period arithmetic in
``domain.analytics.periods``; the typed results in ``domain.analytics.reports``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from babel import Locale
from pydantic import BeforeValidator, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.analytics import periods
from domain.analytics.models import (
    AnalyticsAction,
    AnalyticsCheckout,
    AnalyticsClick,
    AnalyticsVisit,
    AnalyticsVisitor,
)
from domain.analytics.periods import DateRange, ReportRange, Window
from domain.analytics.queries import ActionFilter, AnalyticsQueries, ClickFilter, DimensionTotals, VisitFilter
from domain.analytics.reports import (
    Breakdown,
    CheckoutsPeriod,
    CheckoutsSummary,
    CheckoutTotals,
    ClicksPeriod,
    ClicksSummary,
    MerchantClicks,
    PageReport,
    TokenUsage,
    VisitsPeriod,
    money,
)
from domain.analytics.repository import TIMEZONE_KEY, AnalyticsRepository, zone
from domain.base import utcnow
from domain.errors import NotFound
from domain.paging import Page, PageRequest
from domain.validation import INT_MAX, rule_error

READ = "store.analytics.read"
ACTION_TYPES = ("pageview", "event", "outlink", "download", "search", "ecommerce")
# The device types the ingestion records (Matomo's labels); a filter naming one in another case still matches.
DEVICE_TYPES = ("Desktop", "Smartphone", "Tablet", "Bot", "Other")
UNKNOWN_COUNTRY = "XX"
_ENGLISH = Locale("en")


def _blank(value: Any) -> Any:
    return None if value == "" else value


def _country(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise rule_error("country", "Must be a two-letter country code (ISO 3166-1, e.g. US).")
    return value.upper()


def _device(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise rule_error("string", "Must be a string.")
    return next((d for d in DEVICE_TYPES if d.lower() == value.lower()), value)


FilterId = Annotated[int | None, BeforeValidator(_blank), Field(default=None, ge=1, le=INT_MAX)]


class VisitFilters(DateRange):
    """``GET /api/analytics/visits``: by country, device type, and the days visits started on."""

    country_code: Annotated[str | None, BeforeValidator(_country)] = Field(
        default=None, description="Only visits from this country (ISO 3166-1 alpha-2, e.g. US)."
    )
    device_type: Annotated[str | None, BeforeValidator(_device)] = Field(
        default=None, max_length=32, description=f"Only visits from this device type: {', '.join(DEVICE_TYPES)}."
    )


class ClickFilters(DateRange):
    product_id: FilterId = Field(default=None, description="Only clicks on this product's offers.")
    offer_id: FilterId = Field(default=None, description="Only clicks on this offer.")
    affiliate: Annotated[bool | None, BeforeValidator(_blank)] = Field(
        default=None, description="true: affiliate clicks only; false: internal clicks only."
    )


class ActionFilters(DateRange):
    visit_id: FilterId = Field(default=None, description="Only the actions of this visit.")
    visitor_id: FilterId = Field(default=None, description="Only the actions of this visitor.")
    type: Annotated[
        Literal["pageview", "event", "outlink", "download", "search", "ecommerce"] | None, BeforeValidator(_blank)
    ] = Field(default=None, description=f"Only actions of this type: {', '.join(ACTION_TYPES)}.")

    @field_validator("type", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


def country_name(code: str) -> str:
    """A country's English name (CLDR, through Babel); the code itself when CLDR has none."""
    if code == UNKNOWN_COUNTRY:
        return "Unknown"
    return str(_ENGLISH.territories.get(code.upper(), code.upper()))


class AnalyticsService:
    """Reads the store's analytics for a caller with ``store.analytics.read``. ``now`` is the clock."""

    def __init__(self, session: AsyncSession, *, now: Callable[[], datetime] = utcnow) -> None:
        self.q = AnalyticsQueries(session)
        self.now = now

    @staticmethod
    async def site_id(session: AsyncSession, principal: Principal) -> int:
        """The store's public Matomo site id (``idsite`` for its tracker), made on first use: a write, so
        ``session`` is a unit of work's."""
        principal.require(READ)
        return await AnalyticsRepository(session).site_of(principal.workspace_id)

    async def zone(self, workspace_id: str) -> ZoneInfo:
        """The store's timezone (the ``store_timezone`` setting, UTC by default), as the ingestion reads it."""
        return zone(await self.q.setting(workspace_id, TIMEZONE_KEY))

    async def _today(self, principal: Principal) -> tuple[date, ZoneInfo]:
        principal.require(READ)
        zone = await self.zone(principal.workspace_id)
        return periods.local_today(self.now(), zone), zone

    async def window(self, principal: Principal, range_: ReportRange) -> Window:
        today, _ = await self._today(principal)
        return range_.window(today)

    # --- summaries -------------------------------------------------------------------------------------

    async def visits_summary(self, principal: Principal, range_: ReportRange) -> list[VisitsPeriod]:
        """Visits, actions and distinct visitors per period, newest first; every period, zeros included."""
        w = await self.window(principal, range_)
        starts = list(w.starts())
        visits = dict.fromkeys(starts, 0)
        actions = dict.fromkeys(starts, 0)
        daily_visitors = dict.fromkeys(starts, 0)
        for row in await self.q.daily_visits(principal.workspace_id, w.first, w.last):
            start = w.bucket_of(row.day)
            visits[start] += row.visits
            actions[start] += row.actions
            daily_visitors[start] += row.visitors
        if w.period == "day":
            uniques = [daily_visitors[s] for s in starts]
        else:  # a visitor of two days of a week is one visitor of the week
            uniques = await self.q.distinct_visitors(principal.workspace_id, starts, w.first, w.last)
        out = [
            VisitsPeriod(periods.label(s, w.period), s, uniques[i], visits[s], actions[s]) for i, s in enumerate(starts)
        ]
        out.reverse()
        return out

    async def clicks_summary(self, principal: Principal, range_: ReportRange) -> ClicksSummary:
        w = await self.window(principal, range_)
        starts = list(w.starts())
        clicks = dict.fromkeys(starts, 0)
        affiliate = dict.fromkeys(starts, 0)
        revenue = dict.fromkeys(starts, 0.0)
        merchants: dict[str, list[float]] = {}
        for row in await self.q.daily_clicks(principal.workspace_id, w.first, w.last):
            start = w.bucket_of(row.day)
            clicks[start] += row.clicks
            if row.affiliate:
                affiliate[start] += row.clicks
                revenue[start] += row.revenue
                totals = merchants.setdefault(row.merchant, [0, 0.0])
                totals[0] += row.clicks
                totals[1] += row.revenue
        by_merchant = sorted(
            (MerchantClicks(m, int(c), money(r)) for m, (c, r) in merchants.items()),
            key=lambda m: (-m.clicks, m.merchant),
        )
        return ClicksSummary(
            total_clicks=sum(clicks.values()),
            affiliate_clicks=sum(affiliate.values()),
            affiliate_revenue=money(sum(revenue.values())),
            by_merchant=tuple(by_merchant),
            periods=tuple(
                ClicksPeriod(periods.label(s, w.period), s, clicks[s], affiliate[s], money(revenue[s])) for s in starts
            ),
        )

    async def checkouts_summary(self, principal: Principal, range_: ReportRange) -> CheckoutsSummary:
        today, _ = await self._today(principal)
        w = range_.window(today)
        ws = principal.workspace_id
        starts = list(w.starts())
        counts = dict.fromkeys(starts, 0)
        revenue = dict.fromkeys(starts, 0.0)
        for row in await self.q.daily_checkouts(ws, w.first, w.last):
            start = w.bucket_of(row.day)
            counts[start] += row.checkouts
            revenue[start] += row.revenue

        async def totals(first: date | None, last: date | None) -> CheckoutTotals:
            checkouts, amount = await self.q.checkout_totals(ws, first, last)
            return CheckoutTotals(checkouts, money(amount))

        return CheckoutsSummary(
            today=await totals(today, today),
            this_month=await totals(periods.month_start(today), today),
            all_time=await totals(None, None),
            periods=tuple(CheckoutsPeriod(periods.label(s, w.period), s, counts[s], money(revenue[s])) for s in starts),
        )

    # --- breakdowns ------------------------------------------------------------------------------------

    async def _breakdown(
        self, principal: Principal, dimension: str, range_: ReportRange, request: PageRequest
    ) -> Page[Breakdown]:
        w = await self.window(principal, range_)
        page = await self.q.dimension_page(principal.workspace_id, dimension, w.first, w.last, request)
        named = country_name if dimension == "country" else str

        def convert(index: int, row: DimensionTotals) -> Breakdown:
            return Breakdown(
                page.offset + index + 1,
                row.value,
                named(row.value),
                row.visitors,
                row.visits,
                row.actions,
                row.duration_seconds,
            )

        return Page([convert(i, r) for i, r in enumerate(page.items)], page.total, page.offset, page.limit)

    async def countries(self, principal: Principal, range_: ReportRange, request: PageRequest) -> Page[Breakdown]:
        return await self._breakdown(principal, "country", range_, request)

    async def devices(self, principal: Principal, range_: ReportRange, request: PageRequest) -> Page[Breakdown]:
        return await self._breakdown(principal, "device", range_, request)

    async def sources(self, principal: Principal, range_: ReportRange, request: PageRequest) -> Page[Breakdown]:
        return await self._breakdown(principal, "source", range_, request)

    async def pages(self, principal: Principal, range_: ReportRange, request: PageRequest) -> Page[PageReport]:
        w = await self.window(principal, range_)
        page = await self.q.pages_page(principal.workspace_id, w.first, w.last, request)
        items = [
            PageReport(
                page.offset + i + 1,
                p.path,
                p.title,
                p.visitors,
                p.hits,
                p.visits,
                p.entrances,
                p.bounces,
                p.exits,
                p.time_spent_seconds,
            )
            for i, p in enumerate(page.items)
        ]
        return Page(items, page.total, page.offset, page.limit)

    # --- lists -----------------------------------------------------------------------------------------

    async def visits(self, principal: Principal, f: VisitFilters, request: PageRequest) -> Page[AnalyticsVisit]:
        principal.require(READ)
        found = VisitFilter(f.country_code, f.device_type, f.from_, f.to)
        return await self.q.visits(principal.workspace_id, found, request)

    async def _instants(self, principal: Principal, f: DateRange) -> tuple[datetime | None, datetime | None]:
        """``from``/``to`` as the UTC instants ``[since, until)`` of those local days."""
        _, zone = await self._today(principal)
        since = periods.local_midnight(f.from_, zone) if f.from_ is not None else None
        until = periods.local_midnight(f.to + timedelta(days=1), zone) if f.to is not None else None
        return since, until

    async def visitors(self, principal: Principal, f: DateRange, request: PageRequest) -> Page[AnalyticsVisitor]:
        since, until = await self._instants(principal, f)
        return await self.q.visitors(principal.workspace_id, since, until, request)

    async def visitor(self, principal: Principal, ref: int | str) -> AnalyticsVisitor:
        """A visitor by id, or by Matomo visitor id (16 hex digits)."""
        principal.require(READ)
        if isinstance(ref, int):
            found = await self.q.visitor(principal.workspace_id, visitor_id=ref)
        else:
            found = await self.q.visitor(principal.workspace_id, key=ref.lower())
        if not isinstance(found, AnalyticsVisitor):
            raise NotFound("No such visitor.")
        return found

    async def actions(self, principal: Principal, f: ActionFilters, request: PageRequest) -> Page[AnalyticsAction]:
        since, until = await self._instants(principal, f)
        found = ActionFilter(f.visit_id, f.visitor_id, f.type, since, until)
        return await self.q.actions(principal.workspace_id, found, request)

    async def clicks(self, principal: Principal, f: ClickFilters, request: PageRequest) -> Page[AnalyticsClick]:
        since, until = await self._instants(principal, f)
        found = ClickFilter(f.product_id, f.offer_id, f.affiliate, since, until)
        return await self.q.clicks(principal.workspace_id, found, request)

    async def checkouts(self, principal: Principal, f: DateRange, request: PageRequest) -> Page[AnalyticsCheckout]:
        since, until = await self._instants(principal, f)
        return await self.q.checkouts(principal.workspace_id, since, until, request)

    # --- AI usage --------------------------------------------------------------------------------------

    async def token_usage(self, principal: Principal) -> TokenUsage:
        """Tokens used since the first of this month (the store's month), from the AI usage ledger."""
        today, zone = await self._today(principal)
        start = periods.month_start(today)
        used = await self.q.tokens_used(principal.workspace_id, periods.local_midnight(start, zone))
        return TokenUsage(used, None, None, periods.next_start(start, "month"))
