"""Daily rollups, kept current incrementally: a batch adds up its changes here (per table and key), then writes
each table with one executemany upsert (``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, on
PostgreSQL and SQLite alike) in the batch's own transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.analytics.models import (
    AnalyticsDailyCheckouts,
    AnalyticsDailyClicks,
    AnalyticsDailyDimension,
    AnalyticsDailyPage,
    AnalyticsDailyVisits,
    AnalyticsRejection,
)

VISIT_DIMENSIONS = ("country", "region", "device", "browser", "os", "referrer_type", "source")
Key = tuple[Any, ...]


def _insert(session: AsyncSession, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def table_of(model: Any) -> Table:
    return cast(Table, model.__table__)


async def upsert_add(
    session: AsyncSession,
    table: Table,
    keys: Sequence[str],
    rows: list[dict[str, Any]],
    *,
    latest: Sequence[str] = (),
) -> None:
    """Add each row's counters to the stored ones (a missing row starts at the row's values); ``latest``
    columns take the row's value when it has one."""
    if not rows:
        return
    stmt = _insert(session, table)
    counters = [c for c in rows[0] if c not in keys and c not in latest]
    changes: dict[str, Any] = {c: table.c[c] + stmt.excluded[c] for c in counters}
    for column in latest:
        changes[column] = func.coalesce(stmt.excluded[column], table.c[column])
    await session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changes), rows)


class Rollups:
    """What one batch changes in the daily tables."""

    def __init__(self) -> None:
        self.visits: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.dimensions: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.pages: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.page_titles: dict[Key, str] = {}
        self.clicks: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.checkouts: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.rejections: dict[Key, int] = defaultdict(int)

    def visit(self, workspace_id: str, day: date, dims: dict[str, str], **deltas: int) -> None:
        """Changes to a visit's day total and to each of its dimension values."""
        total = self.visits[(workspace_id, day)]
        for name, delta in deltas.items():
            total[name] += delta
        for dimension, value in dims.items():
            row = self.dimensions[(workspace_id, dimension, day, value)]
            for name, delta in deltas.items():
                if name in ("visits", "actions", "bounces", "duration_seconds"):
                    row[name] += delta

    def dimension_visitor(self, workspace_id: str, day: date, dimension: str, value: str) -> None:
        self.dimensions[(workspace_id, dimension, day, value)]["visitors"] += 1

    def page(self, workspace_id: str, day: date, path: str, title: str | None = None, **deltas: int) -> None:
        row = self.pages[(workspace_id, day, path)]
        for name, delta in deltas.items():
            row[name] += delta
        if title:
            self.page_titles[(workspace_id, day, path)] = title

    def click(self, workspace_id: str, day: date, affiliate: bool, merchant: str, revenue: float) -> None:
        row = self.clicks[(workspace_id, day, affiliate, merchant)]
        row["clicks"] += 1
        row["revenue"] += revenue

    def checkout(self, workspace_id: str, day: date, revenue: float, items: int) -> None:
        row = self.checkouts[(workspace_id, day)]
        row["checkouts"] += 1
        row["revenue"] += revenue
        row["items"] += items

    def reject(self, day: date, reason: str) -> None:
        self.rejections[(day, reason)] += 1

    async def write(self, session: AsyncSession) -> None:
        await _write(session, table_of(AnalyticsDailyVisits), ("workspace_id", "day"), self.visits, _VISIT_COLUMNS)
        dims = ("workspace_id", "dimension", "day", "value")
        await _write(session, table_of(AnalyticsDailyDimension), dims, self.dimensions, _DIMENSION_COLUMNS)
        page_rows = []
        for key, counters in sorted(self.pages.items()):
            row = dict(zip(("workspace_id", "day", "path"), key, strict=True))
            row.update({c: int(counters.get(c, 0)) for c in _PAGE_COLUMNS})
            row["title"] = self.page_titles.get(key)
            page_rows.append(row)
        await upsert_add(
            session, table_of(AnalyticsDailyPage), ("workspace_id", "day", "path"), page_rows, latest=("title",)
        )
        clicks = ("workspace_id", "day", "affiliate", "merchant")
        await _write(session, table_of(AnalyticsDailyClicks), clicks, self.clicks, ("clicks", "revenue"))
        await _write(
            session, table_of(AnalyticsDailyCheckouts), ("workspace_id", "day"), self.checkouts,
            ("checkouts", "revenue", "items"),
        )  # fmt: skip
        rejections = [{"day": d, "reason": r, "count": n} for (d, r), n in sorted(self.rejections.items())]
        await upsert_add(session, table_of(AnalyticsRejection), ("day", "reason"), rejections)


_VISIT_COLUMNS = ("visits", "visitors", "new_visitors", "actions", "pageviews", "events", "bounces",
                  "duration_seconds")  # fmt: skip
_DIMENSION_COLUMNS = ("visits", "visitors", "actions", "bounces", "duration_seconds")
_PAGE_COLUMNS = ("hits", "visits", "visitors", "entrances", "bounces", "exits", "time_spent_seconds")


async def _write(
    session: AsyncSession,
    table: Table,
    keys: Sequence[str],
    changes: dict[Key, Any],
    columns: Sequence[str],
) -> None:
    rows = []
    # Sorted: concurrent writers lock rows in one order (no deadlocks on PostgreSQL).
    for key, counters in sorted(changes.items()):
        row = dict(zip(keys, key, strict=True))
        for column in columns:
            value = counters.get(column, 0)
            row[column] = value if isinstance(value, float) and column == "revenue" else int(value)
        rows.append(row)
    await upsert_add(session, table, keys, rows)
