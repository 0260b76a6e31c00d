"""Plain-row reads on PostgreSQL, handed to asyncpg without SQLAlchemy's execution.

The hot reads (a page of products and its relations, for the REST page and GraphQL's loaders) select plain
columns and only render them. Through SQLAlchemy each of them costs a hop into the session's greenlet, the
compiled cache's lookup (hashing the statement's cache key), the execution context, the cursor adapter and the
result's rows: about a fifth of a GraphQL page's server time, five statements a page. Here the statement is
compiled once and, where nothing would change what asyncpg answers, run with asyncpg's own ``fetch`` on the
session's connection.

A statement goes this way only when SQLAlchemy would do nothing to its values or its rows:

- the session reads in autocommit (read sessions on PostgreSQL: ``domain.db.Database``), so there is no
  transaction for SQLAlchemy to begin first;
- no column has a result processor on this dialect (for the column types PostgreSQL reports), and nothing is
  rendered at execution (expanding ``IN``); bound values go through their types' bind processors, as
  SQLAlchemy sends them;
- every column name can be an attribute of the row.

Everything else, and SQLite, goes through SQLAlchemy as before (``fetch`` answers None). The rows are
``PlainRow``: tuples that read like SQLAlchemy's ``Row`` where the readers look (index, attribute, ``_fields``,
and ``_parent``, shared by the rows of one statement). Listeners of ``before_cursor_execute`` on the engine
still see every statement (the statement counters of the tests and benchmarks). If asyncpg raises, the
statement is run again through SQLAlchemy, so an error (a dead connection, a refused value) is SQLAlchemy's,
with its disconnect handling, exactly as before.
"""

from __future__ import annotations

import keyword
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


class PlainRow(asyncpg.Record):  # type: ignore[misc]  # asyncpg has no type hints
    """A row of a plain read, made by asyncpg itself (``record_class``): its values by position, its columns
    as attributes (``row.title``), ``_fields`` (the names, in order) and ``_parent`` (the same object for every
    row of one statement: what readers key a row layout on, as they do with ``Row._parent``). Each statement
    has its own subclass. It compares equal to the tuple of its values."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _parent: object = None


@dataclass(frozen=True)
class _Plan:
    sql: str
    binds: tuple[str, ...]  # the bound names, in the order of the SQL's $n
    processors: tuple[Callable[[Any], Any] | None, ...]  # each bound value's, as SQLAlchemy applies them
    row_class: type[PlainRow]


_NOT_PLAIN = object()  # a statement that goes through SQLAlchemy
_PLANS: OrderedDict[int, tuple[Select[Any], _Plan | object]] = OrderedDict()
_MAX_PLANS = 512
_RECORD_NAMES = frozenset(dir(asyncpg.Record))


def _row_class(names: Sequence[str]) -> type[PlainRow] | None:
    """The row class of a statement with these column names, or None when a name cannot be an attribute (the
    rows are then SQLAlchemy's)."""
    if len(set(names)) != len(names):
        return None
    namespace: dict[str, Any] = {"__slots__": (), "_fields": tuple(names)}
    for i, name in enumerate(names):
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            return None
        if name not in _RECORD_NAMES:  # ``keys``, ``get``...: the record's methods win, as ``Row``'s do
            namespace[name] = property(itemgetter(i))
    cls: type[PlainRow] = type("PlainRow", (PlainRow,), namespace)
    cls._parent = cls
    return cls


async def _plan(session: AsyncSession, raw: Any, stmt: Select[Any]) -> _Plan | None:
    found = _PLANS.get(id(stmt))
    if found is not None and found[0] is stmt:
        _PLANS.move_to_end(id(stmt))
        return found[1] if isinstance(found[1], _Plan) else None
    plan = await _work_out(session, raw, stmt)
    _PLANS[id(stmt)] = (stmt, plan if plan is not None else _NOT_PLAIN)  # the statement kept: its id stays its
    while len(_PLANS) > _MAX_PLANS:
        _PLANS.popitem(last=False)
    return plan


async def _work_out(session: AsyncSession, raw: Any, stmt: Select[Any]) -> _Plan | None:
    bind = session.bind
    assert bind is not None
    dialect = bind.dialect
    compiled = stmt.compile(dialect=dialect)
    sql = compiled.string
    if "POSTCOMPILE" in sql or compiled.positiontup is None:
        return None
    binds = tuple(compiled.positiontup)
    processors = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in binds)
    columns = list(stmt.selected_columns)
    names = list(stmt.selected_columns.keys())
    prepared = await raw.prepare(sql)  # once per statement: the column types PostgreSQL answers with
    for column, attribute in zip(columns, prepared.get_attributes(), strict=True):
        if column.type.dialect_impl(dialect).result_processor(dialect, attribute.type.oid) is not None:
            return None
    cls = _row_class(names)
    if cls is None:
        return None
    return _Plan(sql, binds, processors, cls)


async def fetch(session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any]) -> list[PlainRow] | None:
    """The rows of ``stmt`` with ``params``, read with asyncpg on the session's connection; None when the
    statement or the session goes through SQLAlchemy (see the module), or when asyncpg raised (the caller runs
    it through SQLAlchemy, which answers or raises as it always did)."""
    bind = session.bind
    if not isinstance(bind, AsyncEngine) or bind.dialect.driver != "asyncpg":
        return None
    if bind.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        return None
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    if raw is None:
        return None
    try:
        plan = await _plan(session, raw, stmt)
        if plan is None:
            return None
        args = [
            params[name] if process is None else process(params[name])
            for name, process in zip(plan.binds, plan.processors, strict=True)
        ]
        sync = connection.sync_connection
        if sync is not None and sync.dispatch.before_cursor_execute:
            sync.dispatch.before_cursor_execute(sync, None, plan.sql, tuple(args), None, False)
        rows: list[PlainRow] = await raw.fetch(plan.sql, *args, record_class=plan.row_class)
    except Exception:
        return None
    return rows
