"""Engine, sessions and the unit of work.

A unit of work is one transaction. What must happen only once it has committed (publishing job events,
enqueueing job ids, delivering callbacks) is collected in its ``Outbox`` and handed to the dispatcher the
composition root provides, after the commit succeeds. Nothing is dispatched for a rolled-back transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


@dataclass
class Outbox:
    events: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.events or self.jobs or self.deliveries)


class OutboxDispatcher(Protocol):
    async def dispatch(self, outbox: Outbox) -> None: ...


class NullDispatcher:
    async def dispatch(self, outbox: Outbox) -> None:
        return None


@dataclass
class UnitOfWork:
    session: AsyncSession
    outbox: Outbox


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event below open transactions, not the driver.
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    # A write transaction takes SQLite's write lock when it starts. A deferred one would start as a
    # reader and, in WAL mode, fail at once with "database is locked" when it later tries to write after
    # another connection committed (SQLite does not wait in that case, to avoid a deadlock).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# A run of 19 digits may be an integer beyond 64 bits, which orjson reads as a float: such texts go to ``json``.
_LONG_NUMBER = re.compile(r"\d{19}")


def json_loads(text: str) -> Any:
    """A JSON column's value, as ``json.loads`` reads it (the engines' ``json_deserializer``), through orjson:
    three to four times faster on a page's ``jsonb`` columns. orjson refuses what JSON does not allow but
    ``json`` reads (lone surrogates, ``NaN``, numbers beyond a double's range) and reads integers beyond 64 bits
    as floats; those texts are read by ``json``, so every value is the one ``json`` gives."""
    if len(text) < 19 or _LONG_NUMBER.search(text) is None:  # (most values are short: "[]", "{}")
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def _jsonb_as_text(dbapi_connection: Any, _record: Any) -> None:
    """``jsonb`` exchanged as text on asyncpg: the column's text goes to ``json_loads`` as it comes. SQLAlchemy's
    asyncpg dialect exchanges it in binary, through a function of its own that strips the format's version byte
    and decodes the bytes before calling the deserializer: two calls and two copies for each JSON value read
    (400 on a GraphQL page). Registered after the dialect's own codec (engine events run after the dialect's), so
    it replaces it; what is written is the text SQLAlchemy serialized, passed on as it is."""
    dbapi_connection.run_async(
        lambda conn: conn.set_type_codec("jsonb", encoder=str, decoder=json_loads, schema="pg_catalog", format="text")
    )


# Pooled connections older than this are closed at checkout and opened afresh (instead of pinging every
# checkout, which on asyncpg costs three round trips: BEGIN, ";", ROLLBACK).
POOL_RECYCLE_SECONDS = 1800


class Database:
    """The engine (reads), the engine units of work write through, and their session makers.

    On PostgreSQL, read sessions run in autocommit: no ``BEGIN``/``ROLLBACK`` round trips around a request's
    reads. Under PostgreSQL's default isolation (read committed) each statement already sees its own snapshot,
    so what a read sees is the same; writes go through units of work, which are transactions as before.
    Pooled connections are not pinged at checkout; they are recycled after ``POOL_RECYCLE_SECONDS``, and a
    connection found dead fails its statement, which invalidates the whole pool (SQLAlchemy's disconnect
    handling), so the next checkouts connect afresh.
    """

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 5, max_overflow: int = 10) -> None:
        self.url = url
        kwargs: dict[str, Any] = {
            "echo": echo,
            "pool_size": pool_size,
            "max_overflow": max_overflow,
            "json_deserializer": json_loads,
        }
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs["pool_recycle"] = POOL_RECYCLE_SECONDS
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        read_engine = self.engine
        if self.engine.dialect.name == "postgresql":
            read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.engine.dialect.driver == "asyncpg":
                event.listen(self.engine.sync_engine, "connect", _jsonb_as_text)
        # Units of work write; on SQLite they get engines of their own whose transactions begin IMMEDIATE.
        self.write_engine: AsyncEngine = self.engine
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self.write_engine = create_async_engine(url, **kwargs)
            event.listen(self.write_engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.write_engine.sync_engine, "connect", _sqlite_manual_transactions)
            event.listen(self.write_engine.sync_engine, "begin", _sqlite_begin_immediate)
        self.sessionmaker = async_sessionmaker(read_engine, expire_on_commit=False)
        self.write_sessionmaker = async_sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> None:
        """One round trip to the database (``SELECT 1``); raises when it does not answer. Also opens the pool's
        first connection."""
        async with self.sessionmaker() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.write_engine is not self.engine:
            await self.write_engine.dispose()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read session (no explicit transaction is committed)."""
        async with self.sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncSession]:
        """One write transaction, committed on exit (rolled back on error); nothing to dispatch."""
        async with self.write_sessionmaker() as session, session.begin():
            yield session

    @asynccontextmanager
    async def unit_of_work(self, dispatcher: OutboxDispatcher) -> AsyncIterator[UnitOfWork]:
        async with self.write_session() as session:
            uow = UnitOfWork(session=session, outbox=Outbox())
            yield uow
        if uow.outbox:
            await dispatcher.dispatch(uow.outbox)
