"""What a piece of work costs the database, counted in this process (the benchmarks' and tests/perf's counters).

- ``statements(engine)``: every SQL statement SQLAlchemy sends (``before_cursor_execute``), in order;
- ``round_trips()``: every asyncpg call that waits for the PostgreSQL server (``BEGIN``/``ROLLBACK``, a
  pre-ping's ``;``, preparing a statement, executing one), which SQLAlchemy's events do not all see.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_CONNECTION_CALLS = ("execute", "executemany", "fetchrow", "fetch", "fetchval", "prepare")
_STATEMENT_CALLS = ("fetch", "fetchrow", "cursor")


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement ``engine`` executes inside the block."""
    found: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found.append(statement)

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(sync, "before_cursor_execute", record)


@contextmanager
def round_trips() -> Iterator[list[str]]:
    """Every asyncpg call that waits for the server while the block runs (``"prepare SELECT ..."``,
    ``"execute BEGIN;"``, ``"fetch"``...), in order. Patches asyncpg's classes for the block: this process only."""
    import asyncpg  # type: ignore[import-untyped]
    from asyncpg.prepared_stmt import PreparedStatement  # type: ignore[import-untyped]

    calls: list[str] = []
    patched: list[tuple[type, str, Any]] = []

    def wrap(cls: type, name: str) -> None:
        original = getattr(cls, name)
        shown = name in ("execute", "prepare")

        async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(f"{name} {str(args[0])[:60]}" if shown and args else name)
            return await original(self, *args, **kwargs)

        patched.append((cls, name, original))
        setattr(cls, name, counted)

    try:
        for name in _CONNECTION_CALLS:
            wrap(asyncpg.Connection, name)
        for name in _STATEMENT_CALLS:
            wrap(PreparedStatement, name)
        yield calls
    finally:
        for cls, name, original in reversed(patched):
            setattr(cls, name, original)
