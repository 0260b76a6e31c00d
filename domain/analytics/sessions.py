"""Sessionisation of one workspace's hits in a batch, and everything it changes.

Hits are walked in time order. A visitor's hit belongs to the visitor's open visit when it comes less than the
session timeout (30 minutes) after the visit's last action, unless the tracker asks for a new visit
(``new_visit=1``); otherwise it starts a new visit — except heartbeats (``ping=1``), goal and cart requests
(``idgoal`` without an order) and custom actions, which only extend an open visit and never start one.

A visit counts on the day it started (the store's timezone): its actions, duration, bounce (one action), entry
page, exit page and each page's time spent (until the visit's next page view) are changes to that day's
rollups, however many batches the visit spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from domain.analytics.geo import region_code
from domain.analytics.models import (
    DIRECT_ENTRY,
    AnalyticsCheckout,
    AnalyticsClick,
    AnalyticsVisit,
    AnalyticsVisitor,
)
from domain.analytics.repository import AnalyticsRepository
from domain.analytics.rollups import Rollups

if TYPE_CHECKING:
    from domain.analytics.ingest import IngestPolicy, Prepared

# Events with this category (any case) are clicks on offers: action "affiliate" (any case) an affiliate click,
# anything else an internal one; the name is the offer id ("12" or "offer_12"); the value the price.
CLICK_CATEGORY = "click"
CLICK_AFFILIATE_ACTION = "affiliate"


VISITOR_CHANGES = ("user_id", "last_seen", "visits_count", "actions_count", "clicks_count", "checkouts_count",
                   "device_type", "browser", "os", "country_code", "region")  # fmt: skip
VISIT_CHANGES = ("first_action_at", "last_action_at", "duration_seconds", "actions", "pageviews", "events",
                 "entry_url", "entry_path", "exit_url", "exit_path")  # fmt: skip


def offer_ref(name: str | None) -> int | None:
    text = (name or "").strip().lower().removeprefix("offer_")
    return int(text) if text.isdigit() and len(text) <= 9 else None


def dims_of(visit: Any) -> dict[str, str]:
    # An AnalyticsVisit, or a row with its dimension columns.
    """The dimension values a visit counts under."""
    country = visit.country_code or "XX"
    dims = {
        "country": country,
        "device": visit.device_type,
        "browser": visit.browser or "Unknown",
        "os": visit.os or "Unknown",
        "referrer_type": visit.referrer_type,
        "source": visit.referrer_name or DIRECT_ENTRY,
    }
    if visit.country_code and visit.region:
        dims["region"] = f"{country}-{visit.region}"
    return dims


@dataclass
class _PageView:
    at: datetime
    path: str
    row: dict[str, Any] | None = None  # a page view of this batch
    action_id: int | None = None  # a stored one


@dataclass
class _Open:
    visit: AnalyticsVisit
    dims: dict[str, str]
    paths: set[str] = field(default_factory=set)
    last_pageview: _PageView | None = None


class SessionWriter:
    def __init__(
        self,
        repo: AnalyticsRepository,
        rollups: Rollups,
        policy: IngestPolicy,
        workspace_id: str,
        zone: ZoneInfo,
    ) -> None:
        self.repo = repo
        self.session = repo.session
        self.rollups = rollups
        self.policy = policy
        self.ws = workspace_id
        self.zone = zone
        self.open: dict[int, _Open] = {}
        self.actions: list[tuple[AnalyticsVisit, dict[str, Any]]] = []
        self.time_spent: dict[int, int] = {}
        self.visitor_days: list[dict[str, Any]] = []
        self.seen_dims: set[tuple[int, date, str, str]] = set()
        self.seen_pages: set[tuple[int, date, str]] = set()
        self.products: dict[int, dict[str, int]] = {}
        self.slugs: dict[str, int] = {}
        self.product_ids: set[int] = set()
        self.offers: dict[int, tuple[Any, int | None]] = {}
        self.orders: set[str] = set()
        self.pending: list[tuple[AnalyticsVisit, AnalyticsCheckout | AnalyticsClick]] = []
        self.visitors: dict[int, AnalyticsVisitor] = {}
        self.loaded: dict[int, AnalyticsVisit] = {}  # open visits of earlier batches
        self.continued: dict[int, AnalyticsVisit] = {}  # ... that this batch changes

    def day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    async def write(self, hits: list[Prepared]) -> None:
        hits.sort(key=lambda p: p.hit.at)
        visitors = await self._visitors(hits)
        await self._load(hits, visitors)
        for p in hits:
            self._walk(p, visitors[p.visitor_key])
        await self.session.flush()  # new visits get their ids
        # Visitors and the visits of earlier batches were detached when loaded: one executemany each here,
        # instead of an UPDATE per changed row.
        await self.repo.update_rows(AnalyticsVisitor, VISITOR_CHANGES, list(self.visitors.values()))
        await self.repo.update_rows(AnalyticsVisit, VISIT_CHANGES, list(self.continued.values()))
        for visit, row in self.actions:
            row["visit_id"] = visit.id
        await self.repo.insert_actions([row for _, row in self.actions])
        await self.repo.set_time_spent(self.time_spent)
        for visit, obj in self.pending:
            obj.visit_id = visit.id
            self.session.add(obj)
        new_days = await self.repo.mark_visitor_days(self.visitor_days)
        for day, _visitor in new_days:
            self.rollups.visit(self.ws, day, {}, visitors=1)
        await self.repo.add_product_counters(self.products)
        await self.session.flush()

    async def _visitors(self, hits: list[Prepared]) -> dict[str, AnalyticsVisitor]:
        keys = {p.visitor_key for p in hits}
        visitors = await self.repo.visitors(self.ws, keys)
        created = []
        for p in hits:
            if p.visitor_key not in visitors:
                visitor = AnalyticsVisitor(
                    workspace_id=self.ws, visitor_key=p.visitor_key, user_id=p.hit.user_id,
                    first_seen=p.hit.at, last_seen=p.hit.at, visits_count=0, actions_count=0, clicks_count=0,
                    checkouts_count=0,
                )  # fmt: skip
                self.session.add(visitor)
                visitors[p.visitor_key] = visitor
                created.append(visitor)
        await self.session.flush()
        for visitor in created:
            self.session.expunge(visitor)
        self.visitors = {v.id: v for v in visitors.values()}
        return visitors

    async def _load(self, hits: list[Prepared], visitors: dict[str, AnalyticsVisitor]) -> None:
        """What the walk needs from the stored rows, in a few queries."""
        ids = [v.id for v in visitors.values()]
        since = hits[0].hit.at - self.policy.session_timeout
        for visit in await self.repo.open_visits(self.ws, ids, since):
            self.open[visit.visitor_id] = _Open(visit, dims_of(visit))
            self.loaded[visit.id] = visit
            self.session.expunge(visit)
        by_visit = {o.visit.id: o for o in self.open.values()}
        for action_id, visit_id, path, at in await self.repo.pageviews_of(list(by_visit)):
            state = by_visit[visit_id]
            state.paths.add(path or "/")
            state.last_pageview = _PageView(at, path or "/", action_id=action_id)
        first_day = min([self.day(hits[0].hit.at), *(o.visit.day for o in self.open.values())])
        # Local midnight of that day, less a day: DST and clock skew can only move it earlier.
        first_instant = datetime.combine(first_day, time(), tzinfo=self.zone) - timedelta(days=1)
        for visit in await self.repo.visits_since(self.ws, ids, first_day, first_instant):
            for name, value in dims_of(visit).items():
                self.seen_dims.add((visit.visitor_id, visit.day, name, value))
        for visitor_id, day, path in await self.repo.pages_seen(self.ws, ids, first_day, first_instant):
            self.seen_pages.add((visitor_id, day, path or "/"))
        self.slugs = await self.repo.products_by_slug(self.ws, {p.product_slug for p in hits if p.product_slug})
        self.product_ids = await self.repo.product_ids(self.ws, {p.product_ref for p in hits if p.product_ref})
        refs = [offer_ref(p.hit.event_name) for p in hits if self._is_click(p)]
        self.offers = await self.repo.offers(self.ws, [r for r in refs if r is not None])
        orders = [p.hit.order.order_id for p in hits if p.hit.order is not None]
        self.orders = await self.repo.existing_orders(self.ws, orders)

    @staticmethod
    def _is_click(p: Prepared) -> bool:
        return p.hit.kind == "event" and (p.hit.event_category or "").lower() == CLICK_CATEGORY

    def _count(self, product_id: int, counter: str) -> None:
        self.products.setdefault(product_id, {}).setdefault(counter, 0)
        self.products[product_id][counter] += 1

    # ---- the walk ----

    def _walk(self, p: Prepared, visitor: AnalyticsVisitor) -> None:
        hit = p.hit
        state = self.open.get(visitor.id)
        if state is not None:
            visit = state.visit
            timeout = self.policy.session_timeout
            if hit.new_visit or hit.at - visit.last_action_at >= timeout or visit.first_action_at - hit.at >= timeout:
                state = None
        if state is None:
            if not (hit.is_action or hit.kind == "order"):
                return  # a heartbeat or goal request with no visit to extend
            state = self._start(p, visitor)
        self._extend(state, hit.at)
        visitor.last_seen = max(visitor.last_seen, hit.at)
        if hit.is_action:
            self._action(state, p, visitor)
        elif hit.order is not None:
            self._order(state, p, visitor)

    def _start(self, p: Prepared, visitor: AnalyticsVisitor) -> _Open:
        hit, device, referrer, where = p.hit, p.device, p.referrer, p.accepted.location
        visitor.visits_count += 1
        day = self.day(hit.at)
        visit = AnalyticsVisit(
            workspace_id=self.ws, visitor_id=visitor.id, visit_number=visitor.visits_count, day=day,
            first_action_at=hit.at, last_action_at=hit.at, duration_seconds=0, actions=0, pageviews=0, events=0,
            referrer_type=referrer.type, referrer_name=referrer.name, referrer_url=referrer.url,
            referrer_keyword=referrer.keyword, device_type=device.device_type, device_brand=device.brand,
            device_model=device.model, browser=device.browser, browser_version=device.browser_version,
            os=device.os, os_version=device.os_version, resolution=hit.resolution, language=p.language,
            country_code=where.country_code, region=region_code(where.region), city=where.city,
            ip_address=p.accepted.ip, user_id=hit.user_id,
        )  # fmt: skip
        self.session.add(visit)
        state = _Open(visit, dims_of(visit))
        self.open[visitor.id] = state
        self.rollups.visit(self.ws, day, state.dims, visits=1)
        if visit.visit_number == 1:
            self.rollups.visit(self.ws, day, {}, new_visitors=1)
        for name, value in state.dims.items():
            if (visitor.id, day, name, value) not in self.seen_dims:
                self.seen_dims.add((visitor.id, day, name, value))
                self.rollups.dimension_visitor(self.ws, day, name, value)
        self.visitor_days.append({"workspace_id": self.ws, "day": day, "visitor_id": visitor.id})
        visitor.device_type, visitor.browser, visitor.os = device.device_type, device.browser, device.os
        visitor.country_code, visitor.region = visit.country_code, visit.region
        if hit.user_id:
            visitor.user_id = hit.user_id
        return state

    def _extend(self, state: _Open, at: datetime) -> None:
        visit = state.visit
        if visit.id is not None and visit.id in self.loaded:
            self.continued[visit.id] = visit
        before = visit.duration_seconds
        visit.last_action_at = max(visit.last_action_at, at)
        visit.first_action_at = min(visit.first_action_at, at)
        visit.duration_seconds = int((visit.last_action_at - visit.first_action_at).total_seconds())
        if visit.duration_seconds != before:
            self.rollups.visit(self.ws, visit.day, state.dims, duration_seconds=visit.duration_seconds - before)

    def _action(self, state: _Open, p: Prepared, visitor: AnalyticsVisitor) -> None:
        hit, visit = p.hit, state.visit
        before, entry_before = visit.actions, visit.entry_path
        visit.actions += 1
        visitor.actions_count += 1
        pageview, event = hit.kind == "pageview", hit.kind == "event"
        visit.pageviews += int(pageview)
        visit.events += int(event)
        bounce = int(visit.actions == 1) - int(before == 1)
        self.rollups.visit(
            self.ws, visit.day, state.dims, actions=1, pageviews=int(pageview), events=int(event), bounces=bounce
        )
        row: dict[str, Any] = {
            "workspace_id": self.ws, "visitor_id": visitor.id, "type": hit.kind, "url": hit.url, "path": p.path,
            "title": hit.title, "event_category": hit.event_category, "event_action": hit.event_action,
            "event_name": hit.event_name, "event_value": hit.event_value, "search_keyword": hit.search_keyword,
            "product_id": None, "time_spent_seconds": None, "created_at": hit.at,
        }  # fmt: skip
        if pageview:
            self._pageview(state, p, visitor, row)
        if visit.actions == 1 and visit.entry_path:
            self.rollups.page(self.ws, visit.day, visit.entry_path, bounces=1)
        if before == 1 and entry_before:
            self.rollups.page(self.ws, visit.day, entry_before, bounces=-1)
        if self._is_click(p):
            self._click(state, p, visitor)
        self.actions.append((visit, row))

    def _pageview(self, state: _Open, p: Prepared, visitor: AnalyticsVisitor, row: dict[str, Any]) -> None:
        hit, visit = p.hit, state.visit
        path = p.path or "/"
        row["path"] = path
        day = visit.day
        if visit.entry_path is None:
            visit.entry_url, visit.entry_path = hit.url, path
            self.rollups.page(self.ws, day, path, entrances=1)
        self.rollups.page(self.ws, day, path, hit.title, hits=1)
        if path not in state.paths:
            state.paths.add(path)
            self.rollups.page(self.ws, day, path, visits=1)
        if (visitor.id, day, path) not in self.seen_pages:
            self.seen_pages.add((visitor.id, day, path))
            self.rollups.page(self.ws, day, path, visitors=1)
        previous = state.last_pageview
        if previous is not None and hit.at >= previous.at:
            spent = int((hit.at - previous.at).total_seconds())
            if previous.row is not None:
                previous.row["time_spent_seconds"] = spent
            elif previous.action_id is not None:
                self.time_spent[previous.action_id] = spent
            self.rollups.page(self.ws, day, previous.path, time_spent_seconds=spent)
        if previous is None or hit.at >= previous.at:
            state.last_pageview = _PageView(hit.at, path, row=row)
            if visit.exit_path != path:
                if visit.exit_path is not None:
                    self.rollups.page(self.ws, day, visit.exit_path, exits=-1)
                self.rollups.page(self.ws, day, path, exits=1)
            visit.exit_url, visit.exit_path = hit.url, path
        product_id = self._product(p)
        if product_id is not None:
            row["product_id"] = product_id
            self._count(product_id, "analytics_visits")

    def _product(self, p: Prepared) -> int | None:
        if p.product_ref is not None and p.product_ref in self.product_ids:
            return p.product_ref
        return self.slugs.get(p.product_slug) if p.product_slug else None

    def _click(self, state: _Open, p: Prepared, visitor: AnalyticsVisitor) -> None:
        hit = p.hit
        ref = offer_ref(hit.event_name)
        offer, product_id = self.offers.get(ref, (None, None)) if ref is not None else (None, None)
        affiliate = (hit.event_action or "").lower() == CLICK_AFFILIATE_ACTION
        merchant = (offer.merchant if offer is not None else "").lower()
        price = hit.event_value if hit.event_value is not None else (offer.price if offer is not None else None)
        revenue = round(price * self.policy.commission_rate(merchant), 6) if affiliate and price else 0.0
        day = self.day(hit.at)
        click = AnalyticsClick(
            workspace_id=self.ws, offer_id=offer.id if offer is not None else None, product_id=product_id,
            affiliate=affiliate, origin="tracker", source=hit.url, destination=merchant,
            url=offer.url_detail if offer is not None else None, price=price,
            currency=offer.currency if offer is not None else None, revenue=revenue, visitor_id=visitor.id,
            day=day, clicked_at=hit.at,
        )  # fmt: skip
        self.pending.append((state.visit, click))
        self.rollups.click(self.ws, day, affiliate, merchant, revenue)
        visitor.clicks_count += 1
        if product_id is not None:
            self._count(product_id, "total_clicks")
            if affiliate:
                self._count(product_id, "affiliate_clicks")

    def _order(self, state: _Open, p: Prepared, visitor: AnalyticsVisitor) -> None:
        order = p.hit.order
        if order is None or order.order_id in self.orders:
            return  # Matomo records an order id once
        self.orders.add(order.order_id)
        day = self.day(p.hit.at)
        items = sum(item.quantity for item in order.items)
        checkout = AnalyticsCheckout(
            workspace_id=self.ws, order_id=order.order_id, visitor_id=visitor.id,
            items=[item.to_json() for item in order.items], items_count=items, revenue=order.revenue,
            subtotal=order.subtotal, tax=order.tax, shipping=order.shipping, discount=order.discount,
            currency=None, country_code=state.visit.country_code, day=day, created_at=p.hit.at,
        )  # fmt: skip
        self.pending.append((state.visit, checkout))
        self.rollups.checkout(self.ws, day, order.revenue, items)
        visitor.checkouts_count += 1
