"""Outbound offer clicks (``/go/{offer_id}``): record the click, answer where to send the visitor.

An offer is an **affiliate** offer when its merchant is another shop (``amazon``, ``ebay``, ...); the store's own
offers (merchant ``custom``, ``internal`` or empty) are **internal**. The visitor goes to the offer's stored URL
and nowhere else (never a URL from the request: no open redirect), and only when it is an http(s) URL.

Affiliate revenue is an estimate made at click time: the offer's price then times the merchant's commission rate
(``IngestPolicy.commission_rates``); internal clicks earn none. The click row keeps the price and the revenue,
so later price or rate changes do not rewrite history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.analytics.ingest import IngestPolicy
from domain.analytics.models import URL_MAX, AnalyticsClick, AnalyticsVisit, AnalyticsVisitor
from domain.analytics.repository import AnalyticsRepository
from domain.analytics.rollups import Rollups
from domain.catalog.models import Offer
from domain.errors import NotFound

INTERNAL_MERCHANTS = frozenset({"", "custom", "internal"})


@dataclass(frozen=True)
class ClickedOffer:
    url: str
    click_id: int
    affiliate: bool


def is_affiliate(merchant: str | None) -> bool:
    return (merchant or "").strip().lower() not in INTERNAL_MERCHANTS


def _http(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url[:URL_MAX] if parts.scheme.lower() in ("http", "https") and parts.netloc else None


async def record_click(
    session: AsyncSession,
    policy: IngestPolicy,
    *,
    offer_id: int,
    source: str | None,
    visitor_key: str | None,
    now: datetime,
) -> ClickedOffer:
    """Records a click on ``offer_id`` in ``session``'s transaction; ``NotFound`` for an unknown or disabled
    offer, or one whose stored URL is not http(s)."""
    offer = (await session.execute(select(Offer).where(Offer.id == offer_id))).scalar_one_or_none()
    target = _http(offer.url_detail) if offer is not None else None
    if offer is None or not offer.enabled or target is None:
        raise NotFound("This offer does not exist or is no longer available.")
    repo = AnalyticsRepository(session)
    workspace_id = offer.workspace_id
    zone = (await repo.zones([workspace_id]))[workspace_id]
    day = now.astimezone(zone).date()
    _, product_id = (await repo.offers(workspace_id, [offer.id]))[offer.id]
    affiliate = is_affiliate(offer.merchant)
    merchant = offer.merchant.strip().lower()
    revenue = round(offer.price * policy.commission_rate(merchant), 6) if affiliate and offer.price else 0.0
    visitor = None
    visit_id = None
    if visitor_key:
        visitor = (await repo.visitors(workspace_id, [visitor_key])).get(visitor_key)
    if visitor is not None:
        visitor.clicks_count += 1
        await repo.update_rows(AnalyticsVisitor, ("clicks_count",), [visitor])
        latest = await repo.open_visits(workspace_id, [visitor.id], now - policy.session_timeout)
        visit_id = latest[0].id if latest and isinstance(latest[0], AnalyticsVisit) else None
    click = AnalyticsClick(
        workspace_id=workspace_id, offer_id=offer.id, product_id=product_id, affiliate=affiliate, origin="redirect",
        source=_http(source), destination=merchant, url=target, price=offer.price, currency=offer.currency,
        revenue=revenue, visitor_id=visitor.id if isinstance(visitor, AnalyticsVisitor) else None,
        visit_id=visit_id, day=day, clicked_at=now,
    )  # fmt: skip
    session.add(click)
    rollups = Rollups()
    rollups.click(workspace_id, day, affiliate, merchant, revenue)
    await rollups.write(session)
    if product_id is not None:
        counters = {"total_clicks": 1, "affiliate_clicks": int(affiliate)}
        await repo.add_product_counters({product_id: counters})
    await session.flush()
    return ClickedOffer(url=target, click_id=click.id, affiliate=affiliate)
