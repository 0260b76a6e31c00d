"""Store API analytics: ``/api/analytics/...`` and ``/api/data/openai-tokens``, in the store's dialect.

Thin handlers: the query models check the input (``domain.analytics.periods``/``service``), the service reads
the reports, and the functions below render them as the document shows. Unlike the store's other lists, these
refuse a query parameter they do not know (422), so a mistyped filter never reads as "no filter"."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from domain.analytics.models import AnalyticsVisitor
from domain.analytics.periods import DateRange, ReportRange
from domain.analytics.reports import VisitsPeriod
from domain.analytics.service import READ, ActionFilters, AnalyticsService, ClickFilters, VisitFilters
from domain.errors import FieldError, InvalidInput
from resolvers.rest.store.analytics_json import (
    ActionJson,
    CheckoutJson,
    CheckoutsSummaryJson,
    ClickJson,
    ClicksSummaryJson,
    CountryJson,
    DeviceJson,
    PageJson,
    SourceJson,
    TokensJson,
    VisitJson,
    VisitorJson,
    VisitorPath,
    VisitsDayJson,
    action_json,
    checkout_json,
    checkouts_summary_json,
    click_json,
    clicks_summary_json,
    country_json,
    device_json,
    page_json,
    source_json,
    tokens_json,
    visit_json,
    visitor_json,
    visits_day_json,
)
from resolvers.rest.store.dialect import Data, Paginated, data, paginated
from resolvers.rest.store.params import PageQuery
from resolvers.rest.surface import Call, Router

router = Router(tags=["analytics"])


class NoQuery(BaseModel):
    """No parameters."""


class SummaryQuery(ReportRange):
    """``period``, ``length``, ``from``, ``to``."""


class ReportQuery(PageQuery, ReportRange):
    """A breakdown over ``period``/``length`` (or ``from``/``to``), a page at a time."""


class VisitsQuery(PageQuery, VisitFilters):
    pass


class VisitorsQuery(PageQuery, DateRange):
    pass


class ClicksQuery(PageQuery, ClickFilters):
    pass


class CheckoutsQuery(PageQuery, DateRange):
    pass


class ActionsQuery(PageQuery, ActionFilters):
    pass


def refuse_unknown(call: Call, model: type[BaseModel]) -> None:
    """A query parameter the operation does not take is refused (422), every one of them at once."""
    known = [info.alias or name for name, info in model.model_fields.items()]
    unknown = [key for key in dict.fromkeys(call.request.query_params.keys()) if key not in known]
    if unknown:
        use = f"Use: {', '.join(known)}." if known else "This operation takes no query parameters."
        message = "The {} parameter is not known here. {}"
        problems = [FieldError((k,), "unknown", message.format(k, use), {"allowed": known}) for k in unknown]
        raise InvalidInput(errors=problems)


def _service(session: AsyncSession) -> AnalyticsService:
    return AnalyticsService(session)


@router.get("/analytics/visits/summary", permission=READ, response=Data[dict[str, VisitsDayJson]])
async def visits_summary(call: Call, query: SummaryQuery) -> Response:
    """Distinct visitors, visits and actions per period (newest first), every period of the range included
    (zeros where nothing happened). Keys: ``2026-03-06`` (day), ``2026-03-02,2026-03-08`` (week),
    ``2026-03`` (month)."""
    refuse_unknown(call, SummaryQuery)
    found: list[VisitsPeriod] = await call.read(lambda s, p: _service(s).visits_summary(p, query))
    return data({row.label: visits_day_json(row) for row in found})


@router.get("/analytics/visits", permission=READ, response=Paginated[VisitJson])
async def visits(call: Call, query: VisitsQuery) -> Response:
    """Visits (sessions), newest first; ``from``/``to`` name the days they started on."""
    refuse_unknown(call, VisitsQuery)
    page = await call.read(lambda s, p: _service(s).visits(p, query, query.page_request()))
    return paginated(call, page, visit_json)


@router.get("/analytics/visitors", permission=READ, response=Paginated[VisitorJson])
async def visitors(call: Call, query: VisitorsQuery) -> Response:
    """Visitors, the most recently seen first; ``from``/``to``: only those seen on those days."""
    refuse_unknown(call, VisitorsQuery)
    page = await call.read(lambda s, p: _service(s).visitors(p, query, query.page_request()))
    return paginated(call, page, visitor_json)


@router.get("/analytics/visitors/{id}", permission=READ, response=Data[VisitorJson])
async def visitor(call: Call, path: VisitorPath) -> Response:
    """One visitor, by id or by Matomo visitor id (16 hex digits)."""
    found: AnalyticsVisitor = await call.read(lambda s, p: _service(s).visitor(p, path.id))
    return data(visitor_json(found))


@router.get("/analytics/pages", permission=READ, response=Paginated[PageJson])
async def pages(call: Call, query: ReportQuery) -> Response:
    """Pages by views (most first): distinct visitors (summed per day), views, average time on page (seconds),
    bounce rate and exit rate."""
    refuse_unknown(call, ReportQuery)
    page = await call.read(lambda s, p: _service(s).pages(p, query, query.page_request()))
    return paginated(call, page, page_json)


@router.get("/analytics/countries", permission=READ, response=Paginated[CountryJson])
async def countries(call: Call, query: ReportQuery) -> Response:
    """Visits by country (most first)."""
    refuse_unknown(call, ReportQuery)
    page = await call.read(lambda s, p: _service(s).countries(p, query, query.page_request()))
    return paginated(call, page, country_json)


@router.get("/analytics/devices", permission=READ, response=Paginated[DeviceJson])
async def devices(call: Call, query: ReportQuery) -> Response:
    """Visits by device type (most first)."""
    refuse_unknown(call, ReportQuery)
    page = await call.read(lambda s, p: _service(s).devices(p, query, query.page_request()))
    return paginated(call, page, device_json)


@router.get("/analytics/sources", permission=READ, response=Paginated[SourceJson])
async def sources(call: Call, query: ReportQuery) -> Response:
    """Visits by source (a search engine, a website, a social network, a campaign, ``Direct Entry``)."""
    refuse_unknown(call, ReportQuery)
    page = await call.read(lambda s, p: _service(s).sources(p, query, query.page_request()))
    return paginated(call, page, source_json)


@router.get("/analytics/clicks/summary", permission=READ, response=Data[ClicksSummaryJson])
async def clicks_summary(call: Call, query: SummaryQuery) -> Response:
    """Clicks over the range: all of them, the affiliate ones and their revenue, by merchant, and per period
    (oldest first, zeros where nothing happened)."""
    refuse_unknown(call, SummaryQuery)
    found = await call.read(lambda s, p: _service(s).clicks_summary(p, query))
    return data(clicks_summary_json(found))


@router.get("/analytics/clicks", permission=READ, response=Paginated[ClickJson])
async def clicks(call: Call, query: ClicksQuery) -> Response:
    """Clicks, newest first: affiliate outbound clicks and internal ones (``affiliate=true``: affiliate only)."""
    refuse_unknown(call, ClicksQuery)
    page = await call.read(lambda s, p: _service(s).clicks(p, query, query.page_request()))
    return paginated(call, page, click_json)


@router.get("/analytics/checkouts/summary", permission=READ, response=Data[CheckoutsSummaryJson])
async def checkouts_summary(call: Call, query: SummaryQuery) -> Response:
    """Checkouts and revenue today, this month and all time, and per period (oldest first, zeros included)."""
    refuse_unknown(call, SummaryQuery)
    found = await call.read(lambda s, p: _service(s).checkouts_summary(p, query))
    return data(checkouts_summary_json(found))


@router.get("/analytics/checkouts", permission=READ, response=Paginated[CheckoutJson])
async def checkouts(call: Call, query: CheckoutsQuery) -> Response:
    """Cart checkouts (ecommerce orders the tracker reported), newest first."""
    refuse_unknown(call, CheckoutsQuery)
    page = await call.read(lambda s, p: _service(s).checkouts(p, query, query.page_request()))
    return paginated(call, page, checkout_json)


@router.get("/analytics/actions", permission=READ, response=Paginated[ActionJson])
async def actions(call: Call, query: ActionsQuery) -> Response:
    """Tracked actions (page views, events, outlinks, downloads, site searches, orders), newest first."""
    refuse_unknown(call, ActionsQuery)
    page = await call.read(lambda s, p: _service(s).actions(p, query, query.page_request()))
    return paginated(call, page, action_json)


@router.get("/data/openai-tokens", permission=READ, response=Data[TokensJson])
async def openai_tokens(call: Call) -> Response:
    """AI tokens used this month (the store's calendar month), from the AI usage ledger. There is no monthly
    token cap (AI work is paid for with credits): ``tokens_limit`` and ``tokens_remaining`` are null."""
    refuse_unknown(call, NoQuery)
    return data(tokens_json(await call.read(lambda s, p: _service(s).token_usage(p))))
