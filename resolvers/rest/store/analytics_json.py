"""The store API's analytics bodies (as the document shows them) and the visitor path parameter."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field
from typing_extensions import TypedDict

from domain.analytics.models import AnalyticsAction, AnalyticsCheckout, AnalyticsClick, AnalyticsVisit, AnalyticsVisitor
from domain.analytics.reports import (
    Breakdown,
    CheckoutsSummary,
    CheckoutTotals,
    ClicksSummary,
    PageReport,
    TokenUsage,
    VisitsPeriod,
)
from domain.validation import INT_MAX, rule_error
from resolvers.rest.store.dialect import ts

# Matomo's names for the referrer types the ingestion records.
REFERRER_TYPE_NAMES = {
    "direct": "Direct Entry",
    "search": "Search Engines",
    "social": "Social Networks",
    "website": "Websites",
    "campaign": "Campaigns",
}


def _visitor_ref(value: Any) -> int | str:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value) and 0 < int(value) <= INT_MAX:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{16}", value):
        return value.lower()
    raise rule_error("id", "Not a visitor id of this API.")


class VisitorPath(BaseModel):
    """``/visitors/{id}``: a visitor's id, or its Matomo visitor id (16 hex digits)."""

    id: Annotated[int | str, BeforeValidator(_visitor_ref)] = Field(
        description="The visitor's id, or its Matomo visitor id (16 hex digits)."
    )


class VisitsDayJson(TypedDict):
    nb_uniq_visitors: int
    nb_visits: int
    nb_actions: int


class VisitJson(TypedDict):
    id: int
    ip_address: str | None
    country_code: str | None
    region: str | None
    city: str | None
    visits: int
    actions: int
    events: int
    visit_duration_seconds: int
    referrer_type_name: str
    device_type: str
    browser: str | None
    first_action_at: str
    last_action_at: str


class VisitorJson(TypedDict):
    id: int
    matomo_visitor_id: str
    first_seen: str
    last_seen: str
    visits_count: int
    clicks_count: int


class PageJson(TypedDict):
    id: int
    label: str
    visitors: int
    hits: int
    average_time_on_page: int
    bounce_rate: str
    exit_rate: str


class CountryJson(TypedDict):
    id: int
    locale: str
    country_name: str
    visitors: int
    visits: int
    actions: int
    visit_duration_seconds: int


class DeviceJson(TypedDict):
    id: int
    device: str
    visitors: int
    visits: int
    actions: int
    visit_duration_seconds: int


class SourceJson(TypedDict):
    id: int
    source: str
    visitors: int
    visits: int
    actions: int
    visit_duration_seconds: int


class MerchantClicksJson(TypedDict):
    clicks: int
    revenue: float


class ClicksPeriodJson(TypedDict):
    clicks: int
    affiliate_clicks: int
    revenue: float


class ClicksSummaryJson(TypedDict):
    total_clicks: int
    affiliate_clicks: int
    affiliate_revenue: float
    by_merchant: dict[str, MerchantClicksJson]
    periods: dict[str, ClicksPeriodJson]


class ClickJson(TypedDict):
    id: int
    product_id: int | None
    offer_id: int | None
    affiliate: int
    source: str | None
    destination: str
    url: str | None
    price: float | None
    clicked_at: str


class CheckoutTotalsJson(TypedDict):
    checkouts: int
    revenue: float


class CheckoutsSummaryJson(TypedDict):
    today: CheckoutTotalsJson
    this_month: CheckoutTotalsJson
    all_time: CheckoutTotalsJson
    periods: dict[str, CheckoutTotalsJson]


class CheckoutJson(TypedDict):
    id: int
    session_id: str | None
    items: list[dict[str, Any]]
    total: float
    currency: str | None
    country: str | None
    created_at: str


class ActionJson(TypedDict):
    id: int
    visit_id: int
    visitor_id: int
    type: str
    url: str | None
    title: str | None
    time_spent_seconds: int | None
    created_at: str


class TokensJson(TypedDict):
    tokens_used: int
    tokens_limit: int | None
    tokens_remaining: int | None
    resets_at: str


def _ts(value: Any) -> str:
    return ts(value) or ""


def visits_day_json(row: VisitsPeriod) -> VisitsDayJson:
    return {"nb_uniq_visitors": row.visitors, "nb_visits": row.visits, "nb_actions": row.actions}


def visit_json(v: AnalyticsVisit) -> VisitJson:
    return {
        "id": v.id,
        "ip_address": v.ip_address,
        "country_code": v.country_code,
        "region": v.region,
        "city": v.city,
        "visits": v.visit_number,
        "actions": v.actions,
        "events": v.events,
        "visit_duration_seconds": v.duration_seconds,
        "referrer_type_name": REFERRER_TYPE_NAMES.get(v.referrer_type, v.referrer_type),
        "device_type": v.device_type,
        "browser": v.browser,
        "first_action_at": _ts(v.first_action_at),
        "last_action_at": _ts(v.last_action_at),
    }


def visitor_json(v: AnalyticsVisitor) -> VisitorJson:
    return {
        "id": v.id,
        "matomo_visitor_id": v.visitor_key,
        "first_seen": _ts(v.first_seen),
        "last_seen": _ts(v.last_seen),
        "visits_count": v.visits_count,
        "clicks_count": v.clicks_count,
    }


def page_json(p: PageReport) -> PageJson:
    return {
        "id": p.rank,
        "label": p.path,
        "visitors": p.visitors,
        "hits": p.hits,
        "average_time_on_page": p.average_time_on_page,
        "bounce_rate": f"{p.bounce_rate}%",
        "exit_rate": f"{p.exit_rate}%",
    }


def country_json(b: Breakdown) -> CountryJson:
    return {
        "id": b.rank,
        "locale": b.value.lower(),
        "country_name": b.name,
        "visitors": b.visitors,
        "visits": b.visits,
        "actions": b.actions,
        "visit_duration_seconds": b.duration_seconds,
    }


def device_json(b: Breakdown) -> DeviceJson:
    return {
        "id": b.rank,
        "device": b.value,
        "visitors": b.visitors,
        "visits": b.visits,
        "actions": b.actions,
        "visit_duration_seconds": b.duration_seconds,
    }


def source_json(b: Breakdown) -> SourceJson:
    return {
        "id": b.rank,
        "source": b.value,
        "visitors": b.visitors,
        "visits": b.visits,
        "actions": b.actions,
        "visit_duration_seconds": b.duration_seconds,
    }


def clicks_summary_json(s: ClicksSummary) -> ClicksSummaryJson:
    return {
        "total_clicks": s.total_clicks,
        "affiliate_clicks": s.affiliate_clicks,
        "affiliate_revenue": s.affiliate_revenue,
        "by_merchant": {m.merchant: {"clicks": m.clicks, "revenue": m.revenue} for m in s.by_merchant},
        "periods": {
            p.label: {"clicks": p.clicks, "affiliate_clicks": p.affiliate_clicks, "revenue": p.revenue}
            for p in s.periods
        },
    }


def click_json(c: AnalyticsClick) -> ClickJson:
    return {
        "id": c.id,
        "product_id": c.product_id,
        "offer_id": c.offer_id,
        "affiliate": 1 if c.affiliate else 0,
        "source": c.source,
        "destination": c.destination,
        "url": c.url,
        "price": c.price,
        "clicked_at": _ts(c.clicked_at),
    }


def _totals(t: CheckoutTotals) -> CheckoutTotalsJson:
    return {"checkouts": t.checkouts, "revenue": t.revenue}


def checkouts_summary_json(s: CheckoutsSummary) -> CheckoutsSummaryJson:
    return {
        "today": _totals(s.today),
        "this_month": _totals(s.this_month),
        "all_time": _totals(s.all_time),
        "periods": {p.label: {"checkouts": p.checkouts, "revenue": p.revenue} for p in s.periods},
    }


def checkout_json(c: AnalyticsCheckout) -> CheckoutJson:
    return {
        "id": c.id,
        "session_id": str(c.visit_id) if c.visit_id is not None else None,
        "items": [item for item in c.items if isinstance(item, dict)],
        "total": c.revenue,
        "currency": c.currency,
        "country": c.country_code,
        "created_at": _ts(c.created_at),
    }


def action_json(a: AnalyticsAction) -> ActionJson:
    return {
        "id": a.id,
        "visit_id": a.visit_id,
        "visitor_id": a.visitor_id,
        "type": a.type,
        "url": a.url,
        "title": a.title,
        "time_spent_seconds": a.time_spent_seconds,
        "created_at": _ts(a.created_at),
    }


def tokens_json(t: TokenUsage) -> TokensJson:
    return {
        "tokens_used": t.tokens_used,
        "tokens_limit": t.tokens_limit,
        "tokens_remaining": t.tokens_remaining,
        "resets_at": t.resets_at.isoformat(),
    }
