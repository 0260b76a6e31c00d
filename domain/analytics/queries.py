"""The analytics reports' SQL (SQLAlchemy Core, the same statements on SQLite and PostgreSQL).

Summaries and breakdowns read the daily rollups H7's ingestion keeps current (``analytics_daily_*``), never
the raw hits; lists read the fact tables (visits, visitors, actions, clicks, checkouts) through their
``(workspace_id, ...)`` indexes, newest first, a page at a time. Days are the store's local dates, as the
rollups and the facts' ``day`` columns store them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, literal, select

from domain.ai.models import AiUsage
from domain.analytics.models import (
    AnalyticsAction,
    AnalyticsCheckout,
    AnalyticsClick,
    AnalyticsDailyCheckouts,
    AnalyticsDailyClicks,
    AnalyticsDailyDimension,
    AnalyticsDailyPage,
    AnalyticsDailyVisitor,
    AnalyticsDailyVisits,
    AnalyticsVisit,
    AnalyticsVisitor,
)
from domain.paging import Page, PageRequest
from domain.repository import Repository
from domain.store.models import StoreSetting

T = TypeVar("T")


@dataclass(frozen=True)
class DailyVisits:
    day: date
    visits: int
    visitors: int
    actions: int


@dataclass(frozen=True)
class DimensionTotals:
    value: str
    visits: int
    visitors: int  # the sum of daily distinct visitors
    actions: int
    duration_seconds: int


@dataclass(frozen=True)
class PageTotals:
    path: str
    title: str | None
    hits: int
    visits: int
    visitors: int  # the sum of daily distinct visitors
    entrances: int
    bounces: int
    exits: int
    time_spent_seconds: int


@dataclass(frozen=True)
class DailyClicks:
    day: date
    affiliate: bool
    merchant: str
    clicks: int
    revenue: float


@dataclass(frozen=True)
class DailyCheckouts:
    day: date
    checkouts: int
    revenue: float


@dataclass(frozen=True)
class VisitFilter:
    country_code: str | None = None
    device_type: str | None = None
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class ActionFilter:
    visit_id: int | None = None
    visitor_id: int | None = None
    type: str | None = None
    since: datetime | None = None  # UTC instants [since, until)
    until: datetime | None = None


@dataclass(frozen=True)
class ClickFilter:
    product_id: int | None = None
    offer_id: int | None = None
    affiliate: bool | None = None
    since: datetime | None = None  # UTC instants [since, until)
    until: datetime | None = None


def _days(column: Any, first: date | None, last: date | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if first is not None:
        out.append(column >= first)
    if last is not None:
        out.append(column <= last)
    return out


def _instants(column: Any, since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """``[since, until)``: the instants of a range of local days (lists range over the indexed timestamps)."""
    out: list[ColumnElement[bool]] = []
    if since is not None:
        out.append(column >= since)
    if until is not None:
        out.append(column < until)
    return out


def _int(value: Any) -> int:
    return int(value or 0)


def _float(value: Any) -> float:
    return float(value or 0.0)


class AnalyticsQueries(Repository):
    """Reads only: the service decides what to ask for and how the answers add up."""

    async def setting(self, workspace_id: str, key: str) -> Any:
        stmt = select(StoreSetting.value).where(StoreSetting.workspace_id == workspace_id, StoreSetting.key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def _page(
        self, stmt: Select[T], where: Sequence[ColumnElement[bool]], request: PageRequest, count_of: Any
    ) -> Page[T]:
        total = _int((await self.session.execute(select(func.count(count_of)).where(*where))).scalar_one())
        if total == 0 or request.offset >= total:
            return Page.of([], total, request)
        rows = (await self.session.execute(stmt.where(*where).limit(request.limit).offset(request.offset))).scalars()
        return Page.of(list(rows), total, request)

    # --- summaries (rollups) ---------------------------------------------------------------------------

    async def daily_visits(self, workspace_id: str, first: date, last: date) -> list[DailyVisits]:
        t = AnalyticsDailyVisits
        stmt = (
            select(t.day, t.visits, t.visitors, t.actions)
            .where(t.workspace_id == workspace_id, *_days(t.day, first, last))
            .order_by(t.day)
        )
        return [DailyVisits(d, _int(v), _int(u), _int(a)) for d, v, u, a in (await self.session.execute(stmt)).all()]

    async def distinct_visitors(self, workspace_id: str, starts: Sequence[date], first: date, last: date) -> list[int]:
        """Distinct visitors in each bucket (``starts``: each bucket's first day, oldest first) among the days
        ``first``..``last``, counted in one statement: the bucket of a day is a ``CASE`` over the starts, so no
        engine's own date functions are needed."""
        if not starts:
            return []
        t = AnalyticsDailyVisitor
        whens = [(t.day < start, literal(index - 1)) for index, start in enumerate(starts) if index > 0]
        bucket = case(*whens, else_=literal(len(starts) - 1)) if whens else literal(0)
        stmt = (
            select(bucket.label("bucket"), func.count(func.distinct(t.visitor_id)))
            .where(t.workspace_id == workspace_id, *_days(t.day, first, last))
            .group_by(bucket)
        )
        counts = [0] * len(starts)
        for index, count in (await self.session.execute(stmt)).all():
            counts[int(index)] = _int(count)
        return counts

    async def dimension_page(
        self, workspace_id: str, dimension: str, first: date, last: date, request: PageRequest
    ) -> Page[DimensionTotals]:
        t = AnalyticsDailyDimension
        where = [t.workspace_id == workspace_id, t.dimension == dimension, *_days(t.day, first, last)]
        visits = func.sum(t.visits)
        total_stmt = select(func.count(func.distinct(t.value))).where(*where)
        total = _int((await self.session.execute(total_stmt)).scalar_one())
        if total == 0 or request.offset >= total:
            return Page.of([], total, request)
        stmt = (
            select(t.value, visits, func.sum(t.visitors), func.sum(t.actions), func.sum(t.duration_seconds))
            .where(*where)
            .group_by(t.value)
            .order_by(visits.desc(), t.value)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self.session.execute(stmt)).all()
        items = [DimensionTotals(value, _int(v), _int(u), _int(a), _int(d)) for value, v, u, a, d in rows]
        return Page.of(items, total, request)

    async def pages_page(self, workspace_id: str, first: date, last: date, request: PageRequest) -> Page[PageTotals]:
        t = AnalyticsDailyPage
        where = [t.workspace_id == workspace_id, *_days(t.day, first, last)]
        total = _int((await self.session.execute(select(func.count(func.distinct(t.path))).where(*where))).scalar_one())
        if total == 0 or request.offset >= total:
            return Page.of([], total, request)
        hits = func.sum(t.hits)
        stmt = (
            select(
                t.path,
                func.max(t.title),
                hits,
                func.sum(t.visits),
                func.sum(t.visitors),
                func.sum(t.entrances),
                func.sum(t.bounces),
                func.sum(t.exits),
                func.sum(t.time_spent_seconds),
            )
            .where(*where)
            .group_by(t.path)
            .order_by(hits.desc(), t.path)
            .limit(request.limit)
            .offset(request.offset)
        )
        items = [
            PageTotals(path, title, *(_int(n) for n in numbers))
            for path, title, *numbers in (await self.session.execute(stmt)).all()
        ]
        return Page.of(items, total, request)

    async def daily_clicks(self, workspace_id: str, first: date, last: date) -> list[DailyClicks]:
        t = AnalyticsDailyClicks
        stmt = (
            select(t.day, t.affiliate, t.merchant, t.clicks, t.revenue)
            .where(t.workspace_id == workspace_id, *_days(t.day, first, last))
            .order_by(t.day, t.merchant)
        )
        rows = (await self.session.execute(stmt)).all()
        return [DailyClicks(d, bool(a), m, _int(c), _float(r)) for d, a, m, c, r in rows]

    async def daily_checkouts(self, workspace_id: str, first: date, last: date) -> list[DailyCheckouts]:
        t = AnalyticsDailyCheckouts
        stmt = (
            select(t.day, t.checkouts, t.revenue)
            .where(t.workspace_id == workspace_id, *_days(t.day, first, last))
            .order_by(t.day)
        )
        return [DailyCheckouts(d, _int(c), _float(r)) for d, c, r in (await self.session.execute(stmt)).all()]

    async def checkout_totals(
        self, workspace_id: str, first: date | None = None, last: date | None = None
    ) -> tuple[int, float]:
        t = AnalyticsDailyCheckouts
        stmt = select(func.sum(t.checkouts), func.sum(t.revenue)).where(
            t.workspace_id == workspace_id, *_days(t.day, first, last)
        )
        checkouts, revenue = (await self.session.execute(stmt)).one()
        return _int(checkouts), _float(revenue)

    # --- lists (facts) ---------------------------------------------------------------------------------

    async def visits(self, workspace_id: str, f: VisitFilter, request: PageRequest) -> Page[AnalyticsVisit]:
        t = AnalyticsVisit
        where = [t.workspace_id == workspace_id, *_days(t.day, f.first, f.last)]
        if f.country_code is not None:
            where.append(t.country_code == f.country_code)
        if f.device_type is not None:
            where.append(t.device_type == f.device_type)
        stmt = select(t).order_by(t.first_action_at.desc(), t.id.desc())
        return await self._page(stmt, where, request, t.id)

    async def visitors(
        self, workspace_id: str, since: datetime | None, until: datetime | None, request: PageRequest
    ) -> Page[AnalyticsVisitor]:
        """Visitors seen in ``[since, until)``: a first visit before its end, a last one after its start."""
        t = AnalyticsVisitor
        where = [t.workspace_id == workspace_id]
        if since is not None:
            where.append(t.last_seen >= since)
        if until is not None:
            where.append(t.first_seen < until)
        stmt = select(t).order_by(t.last_seen.desc(), t.id.desc())
        return await self._page(stmt, where, request, t.id)

    async def visitor(self, workspace_id: str, *, visitor_id: int | None = None, key: str | None = None) -> Any:
        t = AnalyticsVisitor
        match = t.id == visitor_id if visitor_id is not None else t.visitor_key == key
        stmt = select(t).where(t.workspace_id == workspace_id, match)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def actions(self, workspace_id: str, f: ActionFilter, request: PageRequest) -> Page[AnalyticsAction]:
        t = AnalyticsAction
        where = [t.workspace_id == workspace_id]
        if f.visit_id is not None:
            where.append(t.visit_id == f.visit_id)
        if f.visitor_id is not None:
            where.append(t.visitor_id == f.visitor_id)
        if f.type is not None:
            where.append(t.type == f.type)
        where += _instants(t.created_at, f.since, f.until)
        stmt = select(t).order_by(t.created_at.desc(), t.id.desc())
        return await self._page(stmt, where, request, t.id)

    async def clicks(self, workspace_id: str, f: ClickFilter, request: PageRequest) -> Page[AnalyticsClick]:
        t = AnalyticsClick
        where = [t.workspace_id == workspace_id, *_instants(t.clicked_at, f.since, f.until)]
        if f.product_id is not None:
            where.append(t.product_id == f.product_id)
        if f.offer_id is not None:
            where.append(t.offer_id == f.offer_id)
        if f.affiliate is not None:
            where.append(t.affiliate == f.affiliate)
        stmt = select(t).order_by(t.clicked_at.desc(), t.id.desc())
        return await self._page(stmt, where, request, t.id)

    async def checkouts(
        self, workspace_id: str, since: datetime | None, until: datetime | None, request: PageRequest
    ) -> Page[AnalyticsCheckout]:
        t = AnalyticsCheckout
        where = [t.workspace_id == workspace_id, *_instants(t.created_at, since, until)]
        stmt = select(t).order_by(t.created_at.desc(), t.id.desc())
        return await self._page(stmt, where, request, t.id)

    # --- AI usage ---------------------------------------------------------------------------------------

    async def tokens_used(self, workspace_id: str, since: datetime) -> int:
        t = AiUsage
        stmt = select(func.sum(t.prompt_tokens + t.completion_tokens)).where(
            t.workspace_id == workspace_id, t.created_at >= since
        )
        return _int((await self.session.execute(stmt)).scalar_one())
