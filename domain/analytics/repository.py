"""The SQL of the analytics ingestion: sites, the rows a batch continues (visitors, open visits), lookups of
the catalog rows hits name, and the raw hits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from domain.accounts.models import Workspace
from domain.analytics.models import (
    AnalyticsAction,
    AnalyticsCheckout,
    AnalyticsDailyVisitor,
    AnalyticsHit,
    AnalyticsSite,
    AnalyticsVisit,
    AnalyticsVisitor,
)
from domain.analytics.rollups import table_of
from domain.catalog.models import Offer, OfferProduct, Product
from domain.repository import Repository
from domain.store.models import StoreSetting

TIMEZONE_KEY = "store_timezone"
PRODUCT_COUNTERS = ("analytics_visits", "total_clicks", "affiliate_clicks")


def zone(name: Any) -> ZoneInfo:
    """The store's timezone; UTC when unset or unknown (the setting is validated when written)."""
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC")


class AnalyticsRepository(Repository):
    def _insert(self, table: Any) -> Any:
        bind = self.session.get_bind()
        return postgresql.insert(table) if bind.dialect.name == "postgresql" else sqlite.insert(table)

    # ---- sites ----

    async def site_of(self, workspace_id: str) -> int:
        """The workspace's public site id, created on first use."""
        stmt = select(AnalyticsSite.site_id).where(AnalyticsSite.workspace_id == workspace_id)
        site_id = (await self.session.execute(stmt)).scalar_one_or_none()
        if site_id is not None:
            return int(site_id)
        insert = self._insert(AnalyticsSite.__table__).values(workspace_id=workspace_id, created_at=func.now())
        await self.session.execute(insert.on_conflict_do_nothing(index_elements=["workspace_id"]))
        return int((await self.session.execute(stmt)).scalar_one())

    async def workspace_of_site(self, site_id: int) -> str | None:
        stmt = select(AnalyticsSite.workspace_id).where(AnalyticsSite.site_id == site_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def lock_sites(self, workspace_ids: Sequence[str]) -> None:
        """Serialises batch writers per workspace (PostgreSQL row locks, taken in one order); on SQLite the
        write transaction already holds the database's write lock."""
        if self.session.get_bind().dialect.name != "postgresql" or not workspace_ids:
            return
        stmt = (
            select(AnalyticsSite.site_id)
            .where(self.one_of(AnalyticsSite.workspace_id, workspace_ids))
            .order_by(AnalyticsSite.workspace_id)
            .with_for_update()
        )
        await self.session.execute(stmt)

    async def live_workspaces(self, workspace_ids: Sequence[str]) -> set[str]:
        stmt = select(Workspace.id).where(self.one_of(Workspace.id, workspace_ids))
        return set((await self.session.execute(stmt)).scalars())

    async def zones(self, workspace_ids: Sequence[str]) -> dict[str, ZoneInfo]:
        stmt = select(StoreSetting.workspace_id, StoreSetting.value).where(
            self.one_of(StoreSetting.workspace_id, workspace_ids), StoreSetting.key == TIMEZONE_KEY
        )
        stored = {ws: value for ws, value in (await self.session.execute(stmt)).all()}
        return {ws: zone(stored.get(ws)) for ws in workspace_ids}

    # ---- raw hits ----

    async def insert_hits(self, rows: list[dict[str, Any]]) -> set[str]:
        """Inserts the hits not stored yet; returns the ingest ids it inserted (a redelivered hit is skipped)."""
        if not rows:
            return set()
        stmt = (
            self._insert(AnalyticsHit.__table__)
            .on_conflict_do_nothing(index_elements=["ingest_id"])
            .returning(AnalyticsHit.ingest_id)
        )
        result = await self.session.execute(stmt, rows)
        return {row[0] for row in result.all()}

    # ---- what a batch continues ----

    async def visitors(self, workspace_id: str, keys: Iterable[str]) -> dict[str, AnalyticsVisitor]:
        """The visitors with these keys, detached from the session (``update_rows`` writes their changes)."""
        stmt = select(AnalyticsVisitor).where(
            AnalyticsVisitor.workspace_id == workspace_id, self.one_of(AnalyticsVisitor.visitor_key, keys)
        )
        found = {v.visitor_key: v for v in (await self.session.execute(stmt)).scalars()}
        for visitor in found.values():
            self.session.expunge(visitor)
        return found

    async def update_rows(self, model: Any, columns: Sequence[str], objects: Sequence[Any]) -> None:
        """Writes ``columns`` of detached rows, one executemany (sorted by id: one lock order)."""
        if objects:
            rows = [{"id": o.id, **{c: getattr(o, c) for c in columns}} for o in sorted(objects, key=lambda o: o.id)]
            await self.session.execute(update(model), rows)

    async def open_visits(self, workspace_id: str, visitor_ids: Sequence[int], since: datetime) -> list[AnalyticsVisit]:
        """Each visitor's latest visit, when its last action is at or after ``since`` (few rows: only visits that
        ended in the last half hour before the batch, read through the visitor index)."""
        if not visitor_ids:
            return []
        stmt = (
            select(AnalyticsVisit)
            .where(
                AnalyticsVisit.workspace_id == workspace_id,
                self.one_of(AnalyticsVisit.visitor_id, visitor_ids),
                AnalyticsVisit.last_action_at >= since,
            )
            .order_by(AnalyticsVisit.last_action_at, AnalyticsVisit.id)
        )
        by_visitor: dict[int, AnalyticsVisit] = {}
        for visit in (await self.session.execute(stmt)).scalars():
            by_visitor[visit.visitor_id] = visit  # the latest wins
        return list(by_visitor.values())

    async def pageviews_of(self, visit_ids: Sequence[int]) -> list[tuple[int, int, str | None, datetime]]:
        """(action id, visit id, path, time) of the page views of ``visit_ids``, oldest first."""
        if not visit_ids:
            return []
        stmt = (
            select(AnalyticsAction.id, AnalyticsAction.visit_id, AnalyticsAction.path, AnalyticsAction.created_at)
            .where(self.one_of(AnalyticsAction.visit_id, visit_ids), AnalyticsAction.type == "pageview")
            .order_by(AnalyticsAction.created_at, AnalyticsAction.id)
        )
        return [(a, v, p, t) for a, v, p, t in (await self.session.execute(stmt)).all()]

    async def visits_since(
        self, workspace_id: str, visitor_ids: Sequence[int], first_day: date, first_instant: datetime
    ) -> list[Any]:
        """The dimension columns of the visits of ``visitor_ids`` on ``first_day`` or later (which dimension values
        they already count in that day)."""
        if not visitor_ids:
            return []
        v = AnalyticsVisit
        stmt = select(
            v.visitor_id, v.day, v.country_code, v.region, v.device_type, v.browser, v.os, v.referrer_type,
            v.referrer_name,
        ).where(
            v.workspace_id == workspace_id,
            self.one_of(v.visitor_id, visitor_ids),
            v.last_action_at >= first_instant,  # bounds the index scan to recent visits
            v.day >= first_day,
        )  # fmt: skip
        return list((await self.session.execute(stmt)).all())

    async def pages_seen(
        self, workspace_id: str, visitor_ids: Sequence[int], first_day: date, first_instant: datetime
    ) -> list[tuple[int, date, str | None]]:
        """(visitor id, visit day, path) of the page views of ``visitor_ids`` in visits of ``first_day`` or later."""
        if not visitor_ids:
            return []
        stmt = (
            select(AnalyticsAction.visitor_id, AnalyticsVisit.day, AnalyticsAction.path)
            .join(AnalyticsVisit, AnalyticsVisit.id == AnalyticsAction.visit_id)
            .where(
                AnalyticsAction.workspace_id == workspace_id,
                self.one_of(AnalyticsAction.visitor_id, visitor_ids),
                AnalyticsAction.type == "pageview",
                AnalyticsAction.created_at >= first_instant,  # bounds the index scan to recent actions
                AnalyticsVisit.day >= first_day,
            )
            .distinct()
        )
        return [(v, d, p) for v, d, p in (await self.session.execute(stmt)).all()]

    async def mark_visitor_days(self, rows: list[dict[str, Any]]) -> set[tuple[date, int]]:
        """Records that visitors visited on days; returns the (day, visitor id) pairs that are new."""
        if not rows:
            return set()
        stmt = (
            self._insert(AnalyticsDailyVisitor.__table__)
            .on_conflict_do_nothing(index_elements=["workspace_id", "day", "visitor_id"])
            .returning(AnalyticsDailyVisitor.day, AnalyticsDailyVisitor.visitor_id)
        )
        result = await self.session.execute(stmt, rows)
        return {(d, v) for d, v in result.all()}

    async def set_time_spent(self, changes: dict[int, int]) -> None:
        if changes:
            rows = [{"id": action_id, "time_spent_seconds": seconds} for action_id, seconds in changes.items()]
            await self.session.execute(update(AnalyticsAction), rows)

    async def insert_actions(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(self._insert(AnalyticsAction.__table__), rows)

    async def existing_orders(self, workspace_id: str, order_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(order_ids))
        if not ids:
            return set()
        stmt = select(AnalyticsCheckout.order_id).where(
            AnalyticsCheckout.workspace_id == workspace_id, self.one_of(AnalyticsCheckout.order_id, ids)
        )
        return set((await self.session.execute(stmt)).scalars())

    # ---- catalog lookups ----

    async def products_by_slug(self, workspace_id: str, slugs: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(slugs))
        if not wanted:
            return {}
        stmt = select(Product.slug, Product.id).where(
            Product.workspace_id == workspace_id, self.one_of(Product.slug, wanted), Product.deleted_at.is_(None)
        )
        return {slug: pid for slug, pid in (await self.session.execute(stmt)).all()}

    async def product_ids(self, workspace_id: str, ids: Iterable[int]) -> set[int]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return set()
        stmt = select(Product.id).where(
            Product.workspace_id == workspace_id, self.one_of(Product.id, wanted), Product.deleted_at.is_(None)
        )
        return set((await self.session.execute(stmt)).scalars())

    async def offers(self, workspace_id: str, ids: Iterable[int]) -> dict[int, tuple[Offer, int | None]]:
        """The offers with these ids (enabled or not), each with the first product it belongs to."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        stmt = select(Offer).where(Offer.workspace_id == workspace_id, self.one_of(Offer.id, wanted))
        offers = {o.id: o for o in (await self.session.execute(stmt)).scalars()}
        if not offers:
            return {}
        links = select(OfferProduct.offer_id, func.min(OfferProduct.product_id)).where(
            OfferProduct.workspace_id == workspace_id, self.one_of(OfferProduct.offer_id, list(offers))
        )
        products = dict((await self.session.execute(links.group_by(OfferProduct.offer_id))).all())
        return {oid: (offer, products.get(oid)) for oid, offer in offers.items()}

    async def add_product_counters(self, counters: dict[int, dict[str, int]]) -> None:
        """Adds to ``analytics_visits``/``total_clicks``/``affiliate_clicks`` of catalog products (in id order,
        one executemany); ``updated_at`` stays: a page view is no edit of the product."""
        rows = [
            {"pid": pid, **{f"d_{c}": counters[pid].get(c, 0) for c in PRODUCT_COUNTERS}}
            for pid in sorted(counters)
            if any(counters[pid].values())
        ]
        if not rows:
            return
        table = table_of(Product)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("pid"))
            .values(
                {table.c[c]: table.c[c] + bindparam(f"d_{c}") for c in PRODUCT_COUNTERS}
                | {table.c.updated_at: table.c.updated_at}
            )
        )
        await self.session.execute(stmt, rows)
