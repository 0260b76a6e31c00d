"""The store's analytics in GraphQL: ``analytics { ... }``, the twin of the store API's ``/api/analytics/...``
and ``/api/data/openai-tokens``. The same service answers both; bad input is an ``INVALID_INPUT`` error
naming its fields (``period``, ``length``, ``from``, ``to``, the filters)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from pydantic import BaseModel

from domain.accounts.principal import Principal
from domain.analytics.periods import DEFAULT_LENGTH, DateRange, ReportRange
from domain.analytics.service import READ, ActionFilters, AnalyticsService, ClickFilters, VisitFilters
from domain.paging import Page
from domain.validation import parse_now
from schema.analytics_types import (
    AiTokenUsage,
    AnalyticsAction,
    AnalyticsActionType,
    AnalyticsBreakdown,
    AnalyticsCheckout,
    AnalyticsCheckoutsPeriod,
    AnalyticsCheckoutsSummary,
    AnalyticsCheckoutTotals,
    AnalyticsClick,
    AnalyticsClicksPeriod,
    AnalyticsClicksSummary,
    AnalyticsMerchantClicks,
    AnalyticsPage,
    AnalyticsPeriod,
    AnalyticsVisit,
    AnalyticsVisitor,
    AnalyticsVisitsPeriod,
    action_type,
    breakdown_type,
    checkout_type,
    click_type,
    page_type,
    visit_type,
    visitor_type,
)
from schema.relay import Connection, page_request
from schema.types import Info

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _range(period: AnalyticsPeriod, length: int, from_: date | None, to: date | None) -> ReportRange:
    return parse_now(ReportRange, {"period": period.value, "length": length, "from": from_, "to": to})


def _parse(model: type[M], values: dict[str, Any]) -> M:
    return parse_now(model, {k: v for k, v in values.items() if v is not None})


async def _read(info: Info, fn: Callable[[AnalyticsService, Principal], Awaitable[T]]) -> T:
    return await info.context.read(lambda s, p: fn(AnalyticsService(s), p))


async def _connection(
    info: Info,
    fn: Callable[[AnalyticsService, Principal, Any], Awaitable[Page[Any]]],
    convert: Callable[[Any], T],
    first: int,
    after: str | None,
) -> Connection[T]:
    request = page_request(first, after)
    page = await _read(info, lambda svc, p: fn(svc, p, request))
    return Connection.of(page, convert)


FromArg = Annotated[
    date | None, strawberry.argument(name="from", description="The first day (the store's timezone), included.")
]
ToArg = Annotated[date | None, strawberry.argument(description="The last day, included.")]


@strawberry.type(description="The store's analytics (permission store.analytics.read).")
class Analytics:
    @strawberry.field(description="The store's Matomo site id: the idsite its tracker sends to /matomo.php.")
    async def tracking_site_id(self, info: Info) -> int:
        principal = await info.context.principal()
        return await info.context.scope.write(lambda uow: AnalyticsService.site_id(uow.session, principal))

    @strawberry.field(description="Visits, actions and distinct visitors per period, newest first (zeros included).")
    async def visits_summary(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
    ) -> list[AnalyticsVisitsPeriod]:
        r = _range(period, length, from_, to)
        rows = await _read(info, lambda svc, p: svc.visits_summary(p, r))
        return [AnalyticsVisitsPeriod(label=x.label, start=x.start, unique_visitors=x.visitors, visits=x.visits,
                             actions=x.actions) for x in rows]  # fmt: skip

    @strawberry.field(description="Visits (sessions), newest first; from/to: the days they started on.")
    async def visits(
        self,
        info: Info,
        country_code: str | None = None,
        device_type: str | None = None,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsVisit]:
        f = _parse(VisitFilters, {"country_code": country_code, "device_type": device_type, "from": from_, "to": to})
        return await _connection(info, lambda svc, p, r: svc.visits(p, f, r), visit_type, first, after)

    @strawberry.field(description="Visitors, the most recently seen first; from/to: seen on those days.")
    async def visitors(
        self, info: Info, from_: FromArg = None, to: ToArg = None, first: int = 20, after: str | None = None
    ) -> Connection[AnalyticsVisitor]:
        f = _parse(DateRange, {"from": from_, "to": to})
        return await _connection(info, lambda svc, p, r: svc.visitors(p, f, r), visitor_type, first, after)

    @strawberry.field(description="A visitor by id or by Matomo visitor id (16 hex digits).")
    async def visitor(self, info: Info, id: strawberry.ID) -> AnalyticsVisitor:
        raw = str(id)
        ref: int | str = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else raw
        return visitor_type(await _read(info, lambda svc, p: svc.visitor(p, ref)))

    @strawberry.field(description="Pages by views, most first.")
    async def pages(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsPage]:
        r = _range(period, length, from_, to)
        return await _connection(info, lambda svc, p, req: svc.pages(p, r, req), page_type, first, after)

    @strawberry.field(description="Visits by country, most first.")
    async def countries(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsBreakdown]:
        r = _range(period, length, from_, to)
        return await _connection(info, lambda svc, p, req: svc.countries(p, r, req), breakdown_type, first, after)

    @strawberry.field(description="Visits by device type, most first.")
    async def devices(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsBreakdown]:
        r = _range(period, length, from_, to)
        return await _connection(info, lambda svc, p, req: svc.devices(p, r, req), breakdown_type, first, after)

    @strawberry.field(description="Visits by source (search engine, website, social network, campaign, direct).")
    async def sources(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsBreakdown]:
        r = _range(period, length, from_, to)
        return await _connection(info, lambda svc, p, req: svc.sources(p, r, req), breakdown_type, first, after)

    @strawberry.field(description="Clicks over the range, by merchant and per period.")
    async def clicks_summary(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
    ) -> AnalyticsClicksSummary:
        r = _range(period, length, from_, to)
        s = await _read(info, lambda svc, p: svc.clicks_summary(p, r))
        return AnalyticsClicksSummary(
            total_clicks=s.total_clicks,
            affiliate_clicks=s.affiliate_clicks,
            affiliate_revenue=s.affiliate_revenue,
            by_merchant=[
                AnalyticsMerchantClicks(merchant=m.merchant, clicks=m.clicks, revenue=m.revenue) for m in s.by_merchant
            ],
            periods=[
                AnalyticsClicksPeriod(
                    label=x.label,
                    start=x.start,
                    clicks=x.clicks,
                    affiliate_clicks=x.affiliate_clicks,
                    revenue=x.revenue,
                )
                for x in s.periods
            ],
        )

    @strawberry.field(description="Clicks, newest first.")
    async def clicks(
        self,
        info: Info,
        product_id: int | None = None,
        offer_id: int | None = None,
        affiliate: bool | None = None,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsClick]:
        values = {"product_id": product_id, "offer_id": offer_id, "affiliate": affiliate, "from": from_, "to": to}
        f = _parse(ClickFilters, values)
        return await _connection(info, lambda svc, p, r: svc.clicks(p, f, r), click_type, first, after)

    @strawberry.field(description="Checkouts and revenue today, this month, all time and per period.")
    async def checkouts_summary(
        self,
        info: Info,
        period: AnalyticsPeriod = AnalyticsPeriod.DAY,
        length: int = DEFAULT_LENGTH,
        from_: FromArg = None,
        to: ToArg = None,
    ) -> AnalyticsCheckoutsSummary:
        r = _range(period, length, from_, to)
        s = await _read(info, lambda svc, p: svc.checkouts_summary(p, r))
        return AnalyticsCheckoutsSummary(
            today=AnalyticsCheckoutTotals(checkouts=s.today.checkouts, revenue=s.today.revenue),
            this_month=AnalyticsCheckoutTotals(checkouts=s.this_month.checkouts, revenue=s.this_month.revenue),
            all_time=AnalyticsCheckoutTotals(checkouts=s.all_time.checkouts, revenue=s.all_time.revenue),
            periods=[
                AnalyticsCheckoutsPeriod(label=x.label, start=x.start, checkouts=x.checkouts, revenue=x.revenue)
                for x in s.periods
            ],
        )

    @strawberry.field(description="Cart checkouts, newest first.")
    async def checkouts(
        self, info: Info, from_: FromArg = None, to: ToArg = None, first: int = 20, after: str | None = None
    ) -> Connection[AnalyticsCheckout]:
        f = _parse(DateRange, {"from": from_, "to": to})
        return await _connection(info, lambda svc, p, r: svc.checkouts(p, f, r), checkout_type, first, after)

    @strawberry.field(description="Tracked actions, newest first.")
    async def actions(
        self,
        info: Info,
        visit_id: int | None = None,
        visitor_id: int | None = None,
        type: AnalyticsActionType | None = None,
        from_: FromArg = None,
        to: ToArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AnalyticsAction]:
        kind = type.value if type is not None else None
        values = {"visit_id": visit_id, "visitor_id": visitor_id, "type": kind, "from": from_, "to": to}
        f = _parse(ActionFilters, values)
        return await _connection(info, lambda svc, p, r: svc.actions(p, f, r), action_type, first, after)

    @strawberry.field(description="AI tokens used this month, from the AI usage ledger.")
    async def ai_tokens(self, info: Info) -> AiTokenUsage:
        t = await _read(info, lambda svc, p: svc.token_usage(p))
        return AiTokenUsage(
            tokens_used=t.tokens_used, tokens_limit=t.tokens_limit, tokens_remaining=t.tokens_remaining,
            resets_at=t.resets_at,
        )  # fmt: skip


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="The store's analytics: visits, pages, breakdowns, clicks, checkouts, AI tokens.")
    async def analytics(self, info: Info) -> Analytics:
        (await info.context.principal()).require(READ)
        return Analytics()
