"""Counting the SQL statements a piece of work costs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from resolvers.context import AppServices


@contextmanager
def counting(services: AppServices) -> Iterator[list[str]]:
    """Every statement the app's engine executes inside the block, in order."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def every_statement(services: AppServices) -> Iterator[list[str]]:
    """Every statement the app's engines send inside the block (on SQLite, writes go through an engine of their
    own), whitespace collapsed and upper-cased."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()).upper())

    engines = {id(e): e.sync_engine for e in (services.db.engine, services.db.write_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
