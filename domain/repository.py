"""What every area's repository shares (``Repository``: its session, adding, deleting and flushing rows), and
the lookups of rows that each belong to one workspace (``WorkspaceRepository``: by id, by ids, a sorted page)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import ARRAY, ColumnElement, Result, Row, Select, any_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Session

from domain import plain_rows
from domain.paging import Page, PageRequest, Sort


class WorkspaceRow(Protocol):
    """A mapped class whose rows have an integer ``id`` and belong to one workspace (``workspace_id``)."""

    id: Any
    workspace_id: Any


R = TypeVar("R", bound=WorkspaceRow)


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def insert(self, obj: object) -> None:
        """Add ``obj`` and flush, so its generated values (the id) are known."""
        self.add(obj)
        await self.flush()

    async def delete(self, obj: object) -> None:
        await self.session.delete(obj)
        await self.session.flush()

    async def _rows(self, stmt: Select[Any], params: dict[str, Any] | None = None) -> Sequence[Row[Any]]:
        """Every row of a statement of plain columns (the catalog's ``*_row*`` reads, the key every request
        authenticates with). On PostgreSQL's read sessions, through asyncpg directly where SQLAlchemy would change
        nothing (``domain.plain_rows``); otherwise on the session's connection as Core: the same SQL, connection
        and transaction as ``session.execute``, without the ORM's result set-up and per-row loading (no ORM entity
        is selected) and without an autoflush (plain reads run where there is nothing to flush)."""
        plain = await plain_rows.fetch(self.session, stmt, params or {})
        if plain is not None:  # read like Rows where the readers look (index, attribute, _fields, _parent)
            return cast(Sequence[Row[Any]], plain)

        def run(session: Session) -> Sequence[Row[Any]]:
            return session.connection().execute(stmt, params).all()

        return await self.session.run_sync(run)  # one hop into the session's greenlet, as ``execute`` takes

    def one_of(self, column: InstrumentedAttribute[Any], values: Iterable[Any]) -> ColumnElement[bool]:
        """``column IN values`` as SQL whose text does not depend on how many values there are: on PostgreSQL
        ``column = ANY($1)`` with one array bind (one prepared statement, whatever the length), elsewhere an
        expanding ``IN``. Duplicates are dropped."""
        distinct = list(dict.fromkeys(values))
        bind = self.session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            return column == any_(bindparam(None, distinct, type_=ARRAY(column.type)))
        return column.in_(distinct)


class WorkspaceRepository(Repository):
    """A repository of rows that each belong to one workspace, looked up by integer id."""

    async def get(self, model: type[R], workspace_id: str, obj_id: int) -> R | None:
        stmt = select(model).where(model.workspace_id == workspace_id, model.id == obj_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_ids(self, model: type[R], workspace_id: str, ids: Sequence[int]) -> dict[int, R]:
        """The workspace's rows among ``ids``; unknown ids are simply absent."""
        if not ids:
            return {}
        stmt = select(model).where(model.workspace_id == workspace_id, self.one_of(model.id, ids))
        return {row.id: row for row in (await self.session.execute(stmt)).scalars()}

    async def page(self, stmt: Select[Any], model: type[R], sort: Sort, request: PageRequest) -> Page[R]:
        """One page of ``stmt``'s rows in ``sort``'s order (ties by id, the same way), with the total."""
        total, result = await self._page(stmt, model, sort, request)
        return Page.of(list(result.scalars()), total, request)

    async def row_page(
        self, stmt: Select[Any], model: type[WorkspaceRow], sort: Sort, request: PageRequest
    ) -> Page[Row[Any]]:
        """``page`` for a statement of columns (``model``'s table): plain rows, no ORM objects built."""
        total, result = await self._page(stmt, model, sort, request)
        return Page.of(list(result.all()), total, request)

    async def _page(
        self, stmt: Select[Any], model: type[WorkspaceRow], sort: Sort, request: PageRequest
    ) -> tuple[int, Result[Any]]:
        total = (await self.session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
        column: InstrumentedAttribute[Any] = getattr(model, sort.column)
        if sort.descending:
            ordered = stmt.order_by(column.desc(), model.id.desc())
        else:
            ordered = stmt.order_by(column.asc(), model.id.asc())
        rows = ordered.offset(request.offset).limit(request.limit)
        return int(total), await self.session.execute(rows)
