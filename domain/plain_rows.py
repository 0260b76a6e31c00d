"""Plain-row reads on PostgreSQL, handed to asyncpg without SQLAlchemy's execution.

The hot reads (a page of products and its relations, for the REST page and GraphQL's loaders, and the key every
request authenticates with: ``Repository._rows``) select plain columns and only read them. Through SQLAlchemy
each of them costs a hop into the session's greenlet, the compiled cache's lookup (hashing the statement's cache
key), the execution context, the cursor adapter and the result's rows: about a fifth of a GraphQL page's server
time, six statements a page. Here the statement is
compiled once and, where nothing would change what asyncpg answers, run with asyncpg's own ``fetch`` on the
session's connection.

A statement goes this way only when SQLAlchemy would do nothing to its values or its rows:

- the session reads in autocommit (read sessions on PostgreSQL: ``domain.db.Database``), so there is no
  transaction for SQLAlchemy to begin first;
- no column has a result processor on this dialect (for the column types PostgreSQL reports), and nothing is
  rendered at execution (expanding ``IN``); bound values go through their types' bind processors, as
  SQLAlchemy sends them;
- every column name can be an attribute of the row as on ``Row`` (a name of ``Row``'s members, ``count``, is
  not an attribute on either; one of the record's, ``keys``, would be its method);
- nothing watches more than ``before_cursor_execute``: no ``after_cursor_execute`` or ``handle_error``
  listener, no engine echo or ``sqlalchemy.engine`` logging at INFO.

Everything else, and SQLite, goes through SQLAlchemy as before (``fetch`` answers None). The rows are
``PlainRow``, made by asyncpg itself, which read like SQLAlchemy's ``Row`` where the readers look (index,
attribute, ``_fields`` as ``Row`` names them, and ``_parent``, shared by the rows of one statement); they have no
``_mapping`` or ``_asdict`` and do not pickle. ``before_cursor_execute`` listeners see every statement (the
statement counters of the tests and benchmarks), with no cursor or context. A statement that could not be sent
(a value asyncpg cannot encode, a connection gone) runs through SQLAlchemy instead, which answers or raises as
it always did, with its disconnect handling; an error the server answers is raised once, as SQLAlchemy's
``DBAPIError``.

A plan (the SQL, the binds, the row class) is kept per statement for as long as the statement lives; working
one out prepares the statement once to learn the column types PostgreSQL answers with. Plans are keyed by the
statement alone: every PostgreSQL engine of a process gives the same processors.
"""

from __future__ import annotations

import keyword
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from logging import INFO, getLogger
from operator import itemgetter
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Connection, Row, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

_ENGINE_LOG = getLogger("sqlalchemy.engine")


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
    fixed: Mapping[str, Any]  # the values bound in the statement itself (``Product.id == 5``)
    row_class: type[PlainRow]


# A plan per statement, for as long as the statement lives (the repository keeps the ones it builds: ``_BUILT``).
_PLANS: weakref.WeakKeyDictionary[Select[Any], _Plan | None] = weakref.WeakKeyDictionary()
# A column named as one of ``Row``'s members (``count``, ``index``, ``t``) is not an attribute on ``Row`` either;
# one named as one of the record's (``keys``, ``get``) would be the record's method: such a statement goes
# through SQLAlchemy.
_ROW_MEMBERS = frozenset(dir(Row))
_RECORD_MEMBERS = frozenset(dir(asyncpg.Record)) - _ROW_MEMBERS


def _row_class(names: Sequence[str]) -> type[PlainRow] | None:
    """The row class of a statement with these column names, or None when a name cannot be an attribute as it
    is on ``Row`` (the rows are then SQLAlchemy's)."""
    if len(set(names)) != len(names):
        return None
    namespace: dict[str, Any] = {"__slots__": (), "_fields": tuple(names)}
    for i, name in enumerate(names):
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_") or name in _RECORD_MEMBERS:
            return None
        if name not in _ROW_MEMBERS:
            namespace[name] = property(itemgetter(i))
    cls: type[PlainRow] = type("PlainRow", (PlainRow,), namespace)
    cls._parent = cls
    return cls


async def _plan(session: AsyncSession, raw: Any, stmt: Select[Any]) -> _Plan | None:
    if stmt in _PLANS:
        return _PLANS[stmt]
    plan = _PLANS[stmt] = await _work_out(session, raw, stmt)
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
    fixed = {name: compiled.binds[name].effective_value for name in binds if not compiled.binds[name].required}
    columns = list(stmt.selected_columns)
    names = list(stmt.selected_columns.keys())  # what ``Row._fields`` answers
    prepared = await raw.prepare(sql)  # once per statement: the column types PostgreSQL answers with
    for column, attribute in zip(columns, prepared.get_attributes(), strict=True):
        if column.type.dialect_impl(dialect).result_processor(dialect, attribute.type.oid) is not None:
            return None
    cls = _row_class(names)
    if cls is None:
        return None
    return _Plan(sql, binds, processors, fixed, cls)


def _connection(session: Session) -> tuple[Connection, Any]:
    """The session's connection (begun if it was not) and the asyncpg connection under it."""
    connection = session.connection()
    return connection, connection.connection.driver_connection


async def fetch(session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any]) -> list[PlainRow] | None:
    """The rows of ``stmt`` with ``params``, read with asyncpg on the session's connection; None when the
    statement or the session goes through SQLAlchemy (see the module), or when the statement could not be sent
    (the caller runs it through SQLAlchemy, which answers or raises as it always did). An error the server
    answers is raised as SQLAlchemy's ``DBAPIError`` (its ``orig`` asyncpg's), once: the statement is not run
    again."""
    bind = session.bind
    if not isinstance(bind, AsyncEngine) or bind.dialect.driver != "asyncpg" or bind.echo:
        return None
    if bind.get_execution_options().get("isolation_level") != "AUTOCOMMIT" or _ENGINE_LOG.isEnabledFor(INFO):
        return None
    sync, raw = await session.run_sync(_connection)  # one hop into the session's greenlet
    if sync.dispatch.after_cursor_execute or sync.dialect.dispatch.handle_error or raw is None:
        return None
    try:
        plan = await _plan(session, raw, stmt)
        if plan is None:
            return None
        values = [params[name] if name in params else plan.fixed[name] for name in plan.binds]
        args = [v if process is None else process(v) for v, process in zip(values, plan.processors, strict=True)]
    except Exception:  # not sent: SQLAlchemy's way says what is wrong
        return None
    if sync.dispatch.before_cursor_execute:
        sync.dispatch.before_cursor_execute(sync, None, plan.sql, tuple(args), None, False)
    try:
        rows: list[PlainRow] = await raw.fetch(plan.sql, *args, record_class=plan.row_class)
    except asyncpg.PostgresError as error:  # the server's answer
        raise DBAPIError.instance(plan.sql, args, error, asyncpg.PostgresError) from error
    except Exception:  # a value asyncpg cannot send, a connection gone: nothing ran; SQLAlchemy's way
        return None
    return rows
