"""``domain.base.UTCDateTime``: every timestamp read back is aware and in UTC, on both engines. On asyncpg the
column type leaves the value as the driver answers it (no call per value), which is right only because asyncpg
answers ``timestamptz`` in UTC whatever the session's time zone: that is what this checks, with a session in
another zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from domain.accounts.models import Workspace

WRITTEN = [
    datetime(2026, 3, 6, 10, 15, 0, 123456, tzinfo=UTC),
    datetime(2026, 3, 6, 23, 30, tzinfo=timezone(timedelta(hours=-5))),  # stored as the same instant
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=9))),
]


async def test_timestamps_come_back_aware_in_utc_whatever_the_session_zone(clean_db: str) -> None:
    postgres = clean_db.startswith("postgresql")
    engine = create_async_engine(
        clean_db, connect_args={"server_settings": {"timezone": "Asia/Tokyo"}} if postgres else {}
    )
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Workspace),
                [
                    {"id": f"w{i}", "name": f"W{i}", "webhook_secret": "whsec_x", "plan_renews_at": when}
                    for i, when in enumerate(WRITTEN)
                ],
            )
        async with engine.connect() as conn:
            if postgres:
                assert (await conn.exec_driver_sql("SHOW timezone")).scalar() == "Asia/Tokyo"
            read = (await conn.execute(select(Workspace.plan_renews_at).order_by(Workspace.id))).scalars().all()
    finally:
        await engine.dispose()
    assert read == WRITTEN  # the same instants
    assert all(value.tzinfo is UTC for value in read)
    assert [value.hour for value in read] == [10, 4, 14]  # UTC wall clocks
