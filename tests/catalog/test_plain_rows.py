"""``domain.plain_rows``: on PostgreSQL's read sessions the catalog's plain-row reads go straight to asyncpg and
answer exactly what SQLAlchemy answers for the same statement (values, their types, column names); everything
SQLAlchemy would change goes through SQLAlchemy, and so does every error."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
import strawberry
from sqlalchemy import Numeric, Row, bindparam, func, literal_column, select
from sqlalchemy.exc import DBAPIError

from domain import plain_rows
from domain.catalog.commands import ProductFilter
from domain.catalog.models import Product
from domain.catalog.repository import CatalogRepository
from domain.paging import PageRequest, Sort
from schema.execution import Execution, own_classes
from schema.relay import from_global_id
from tests.catalog import helpers
from tests.graphql.test_from_model import Gadget
from tests.support.statements import counting


async def _catalog(services: Any, workspace: Any) -> list[int]:
    brand = await helpers.brand(services, workspace, title="Brand")
    categories = [await helpers.category(services, workspace, title=f"Cat {i}") for i in range(2)]
    ids = []
    for i in range(4):
        product = await helpers.product(
            services,
            workspace,
            title=f"Product {i}",
            brand_id=brand.id if i % 2 else None,
            category_ids=[c.id for c in categories[: i % 3]],
            review_score=4.5 if i % 2 else None,
            highlights=["fast", "light"],
            attributes={"colour": "red", "size": i, "big": 123456789012345678901234567890},
        )
        await helpers.offer(services, workspace, title=f"Offer {i}", price=9.99 + i, product_ids=[product.id])
        ids.append(product.id)
    return ids


async def _reads(repo: CatalogRepository, ws: str, ids: list[int]) -> dict[str, list[Any]]:
    """Every plain-row read of the catalog, as lists of rows."""
    page = await repo.product_row_page(ws, ProductFilter(), Sort("created_at", True), PageRequest(offset=1, limit=2))
    searched = await repo.product_row_page(ws, ProductFilter(search="uct 1"), Sort("id", False), PageRequest())
    one = await repo.product_row(ws, ids[1])
    brand_ids = [row.brand_id for row in page.items if row.brand_id is not None] or [0]
    return {
        "page": list(page.items),
        "total": [page.total],
        "searched": list(searched.items),
        "one": [one],
        "brands": list((await repo.brand_rows(ws, brand_ids)).values()),
        "categories": [r for rows in (await repo.category_rows_for_products(ws, ids)).values() for r in rows],
        "offers": [r for rows in (await repo.offer_rows_for_products(ws, ids)).values() for r in rows],
    }


def _postgresql_only(services: Any) -> None:
    if services.db.dialect != "postgresql":
        pytest.skip("the plain way is PostgreSQL's")


def _typed(row: Any) -> list[tuple[str, Any]]:
    return [(type(value).__name__, value) for value in row]


async def test_the_reads_answer_what_sqlalchemy_answers(services, workspace) -> None:
    ids = await _catalog(services, workspace)
    ws = workspace.workspace_id
    async with services.db.session() as read:
        plain = await _reads(CatalogRepository(read), ws, ids)
    async with services.db.write_session() as write:  # a transaction: SQLAlchemy's way on both engines
        through_sqlalchemy = await _reads(CatalogRepository(write), ws, ids)
    postgres = services.db.dialect == "postgresql"
    for name, rows in through_sqlalchemy.items():
        assert len(plain[name]) == len(rows) and rows, name
        for got, expected in zip(plain[name], rows, strict=True):
            if name == "total":
                assert got == expected
                continue
            assert isinstance(expected, Row)
            assert isinstance(got, plain_rows.PlainRow if postgres else Row), name
            assert got._fields == expected._fields, name
            assert _typed(got) == _typed(expected), name
            for field in got._fields:
                if field not in ("count", "index"):
                    assert getattr(got, field) == getattr(expected, field), (name, field)
    # Rows of one statement share their layout; rows of another statement do not.
    page = plain["page"]
    assert page[0]._parent is page[1]._parent
    assert page[0]._parent is not plain["offers"][0]._parent


async def test_the_statement_listeners_see_the_plain_reads(services, workspace) -> None:
    ids = await _catalog(services, workspace)
    async with services.db.session() as read:
        with counting(services) as seen:
            await CatalogRepository(read).offer_rows_for_products(workspace.workspace_id, ids)
    assert len(seen) == 1 and "catalog_offer_products" in seen[0]


async def test_a_refused_value_is_sqlalchemys_error(services, workspace) -> None:
    _postgresql_only(services)  # SQLite compares a text with an integer column
    async with services.db.session() as read:
        with pytest.raises(DBAPIError):
            await CatalogRepository(read).product_row(workspace.workspace_id, "not a number")  # type: ignore[arg-type]
        # The connection is still good for the next read.
        assert await CatalogRepository(read).product_row(workspace.workspace_id, 1) is None


async def test_what_sqlalchemy_would_change_goes_through_sqlalchemy(services) -> None:
    _postgresql_only(services)
    converted = select(literal_column("1.5").cast(Numeric(10, 2, asdecimal=False)).label("price"))  # to a float
    expanding = select(Product.id).where(Product.id.in_(bindparam("ids", expanding=True)))
    async with services.db.session() as read:
        assert await plain_rows.fetch(read, converted, {}) is None
        assert await plain_rows.fetch(read, expanding, {"ids": [1, 2]}) is None
        assert (await plain_rows.fetch(read, select(literal_column("2").label("n")), {})) == [(2,)]
    async with services.db.write_session() as write:  # in a transaction SQLAlchemy begins
        assert await plain_rows.fetch(write, select(literal_column("2").label("n")), {}) is None


async def test_a_row_reads_its_columns_as_attributes(services) -> None:
    _postgresql_only(services)
    stmt: Any = select(
        literal_column("7").label("id"), literal_column("'Seven'").label("title"), literal_column("3").label("n")
    )
    async with services.db.session() as read:
        rows: Any = await plain_rows.fetch(read, stmt, {})
        (row,) = rows
        assert (row.id, row.title, row[2], row._fields) == (7, "Seven", 3, ("id", "title", "n"))
        assert row == (7, "Seven", 3) and isinstance(row, plain_rows.PlainRow) and row._parent is type(row)
        # A column named as a member of the record or of Row goes through SQLAlchemy.
        assert await plain_rows.fetch(read, select(literal_column("3").label("keys")), {}) is None


async def test_the_column_names_are_rows(services) -> None:
    _postgresql_only(services)
    stmt = select(func.count()).select_from(Product)
    async with services.db.session() as read:
        rows: Any = await plain_rows.fetch(read, stmt, {})
    async with services.db.write_session() as write:
        expected = (await write.execute(stmt)).all()
    assert rows[0]._fields == expected[0]._fields == ("count",)  # not the SQL's label, count_1


async def test_a_value_bound_in_the_statement_is_sent(services) -> None:
    _postgresql_only(services)
    async with services.db.session() as read:
        assert await plain_rows.fetch(read, select(literal_column("1").label("n")).where(Product.id == 5), {}) == []


async def test_an_error_of_the_server_is_raised_once_as_sqlalchemys(services) -> None:
    _postgresql_only(services)
    async with services.db.session() as read:
        with counting(services) as seen, pytest.raises(DBAPIError) as raised:
            await CatalogRepository(read)._rows(select(literal_column("1 / 0").label("n")))
        assert len(seen) == 1  # not run a second time through SQLAlchemy
        assert "division by zero" in str(raised.value)
        assert await plain_rows.fetch(read, select(literal_column("2").label("n")), {}) == [(2,)]


def test_a_column_name_that_cannot_be_an_attribute_goes_through_sqlalchemy() -> None:
    assert plain_rows._row_class(["id", "title"]) is not None
    for names in (["id", "id"], ["_private"], ["class"], ["two words"], ["keys"], ["get"]):
        assert plain_rows._row_class(names) is None, names
    counted: Any = plain_rows._row_class(["count", "index"])  # Row's own members: not attributes, as on Row
    assert counted._fields == ("count", "index") and "count" not in counted.__dict__


async def test_a_plan_lives_as_long_as_its_statement(services) -> None:
    _postgresql_only(services)
    stmt: Any = select(literal_column("41").label("n"))
    async with services.db.session() as read:
        assert await plain_rows.fetch(read, stmt, {}) == [(41,)]
    assert stmt in plain_rows._PLANS
    kept = weakref.ref(stmt)
    del stmt
    gc.collect()
    assert kept() is None  # the plan did not keep its statement alive


# --- objects backed by plain rows (``schema.from_model``) ----------------------------------------------------


@strawberry.type
class RowQuery:
    @strawberry.field
    def gadgets(self, info: strawberry.Info) -> list[Gadget]:
        return Gadget.from_models(info.context["rows"])


async def _gadget_rows(services: Any, *columns: str) -> list[Any]:
    values = {"id": "5", "title": "'Five'", "note": "NULL::text", "extra": "1"}
    stmt: Any = select(*(literal_column(values[c]).label(c) for c in columns))
    async with services.db.session() as read:
        rows: Any = await plain_rows.fetch(read, stmt, {})
    return list(rows)


async def test_an_object_made_from_a_plain_row_reads_its_fields_from_it(services) -> None:
    _postgresql_only(services)
    (row,) = await _gadget_rows(services, "extra", "note", "title", "id")  # any column order
    gadget, again = Gadget.from_models([row, row])
    assert type(gadget) is not Gadget and isinstance(gadget, Gadget) and type(again) is type(gadget)
    assert (gadget.gadget_id, gadget.title, gadget.note, gadget.held) == (5, "Five", None, None)
    assert gadget.model is row and from_global_id(gadget.id) == ("Gadget", "5")
    assert type(gadget) in own_classes(Gadget)  # the executor takes it as a Gadget without asking is_type_of
    gadget.held = {"x": 1}  # a private field that is not a column is set as on any object
    assert (gadget.held, again.held) == ({"x": 1}, None)
    with pytest.raises(AttributeError):
        gadget.title = "Given"  # the columns are read-only: the object renders its row
    assert again == Gadget.from_models([row])[0] and "gadget_id=5" in repr(again)
    # Through the service's executor (whole-object builds): the answer of any Gadget.
    schema = strawberry.Schema(query=RowQuery, execution_context_class=Execution)
    answer = await schema.execute("{ gadgets { id gadgetId title note shout } }", context_value={"rows": [row]})
    assert answer.errors is None and answer.data is not None
    (node,) = answer.data["gadgets"]
    assert from_global_id(node.pop("id")) == ("Gadget", "5")
    assert node == {"gadgetId": 5, "title": "Five", "note": None, "shout": "FIVE"}


async def test_a_row_without_a_fields_column_fails_as_a_model_would(services) -> None:
    _postgresql_only(services)
    (row,) = await _gadget_rows(services, "id", "title")  # no note
    with pytest.raises(AttributeError):
        Gadget.from_models([row])
