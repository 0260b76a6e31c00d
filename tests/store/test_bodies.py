"""``resolvers.rest.bodies.Body``: compiled once per shape, a body reads the same from an object (by attribute)
and from a plain ``Row`` (by position, whatever the row's column order), keeps the shape's key order, and
refuses passed keys the shape does not take — as the attribute-by-attribute rendering it replaced did."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired

import pytest
from sqlalchemy import Boolean, DateTime, Row, create_engine, literal, select, union_all
from sqlalchemy.types import TypeEngine
from typing_extensions import TypedDict

from resolvers.rest.bodies import Body


class ThingJson(TypedDict):
    id: int
    title: str
    label: str  # computed
    count: int  # passed
    flag: int  # converted
    created_at: str
    extra: NotRequired[list[int]]


@dataclass
class Thing:
    id: int
    title: str
    flag: bool
    created_at: datetime


def stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


BODY = Body(
    Thing, ThingJson, stamp=stamp, convert={"flag": int}, computed={"label": lambda t: f"#{t.id}"}, passed={"count"}
)
ROW_BODY: Body[Row[Any], ThingJson] = Body(
    Row, ThingJson, stamp=stamp, convert={"flag": int}, computed={"label": lambda r: f"#{r.id}"}, passed={"count"}
)
WHEN = datetime(2026, 3, 6, 10, 15)


def rows(*columns: str) -> list[Row[Any]]:
    """Two rows of one result with ``columns`` in this order (``unused``: a column no body reads)."""
    items = [
        {"id": 7, "title": "Seven", "flag": True, "created_at": WHEN, "unused": "x"},
        {"id": 8, "title": "Eight", "flag": False, "created_at": WHEN, "unused": "y"},
    ]
    types: dict[str, TypeEngine[Any]] = {"created_at": DateTime(), "flag": Boolean()}
    both = union_all(*(select(*(literal(v, types.get(k)).label(k) for k, v in item.items())) for item in items))
    inner = both.subquery()
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(*(inner.c[c] for c in columns)).order_by(inner.c.id)).all())
    finally:
        engine.dispose()


EXPECTED = {"id": 7, "title": "Seven", "label": "#7", "count": 3, "flag": 1, "created_at": "2026-03-06"}


def test_an_object_renders_in_the_shapes_order_with_computed_passed_and_converted_keys() -> None:
    body = BODY(Thing(7, "Seven", True, WHEN), count=3)
    assert list(body) == ["id", "title", "label", "count", "flag", "created_at"]
    assert body == EXPECTED
    assert BODY(Thing(7, "Seven", True, WHEN), count=3, extra=[1]) == {**EXPECTED, "extra": [1]}
    assert list(BODY(Thing(7, "Seven", True, WHEN), extra=[1], count=3))[-1] == "extra"  # the shape's order


@pytest.mark.parametrize(
    "columns",
    [("id", "title", "flag", "created_at", "unused"), ("unused", "created_at", "flag", "title", "id")],
)
def test_a_row_renders_as_the_object_does_whatever_its_column_order(columns: tuple[str, ...]) -> None:
    found = rows(*columns)
    first = ROW_BODY(found[0], count=3)
    assert json.dumps(first) == json.dumps(EXPECTED)
    second = ROW_BODY(found[1], count=4)
    assert (second["id"], second["title"], second["flag"], second["label"]) == (8, "Eight", 0, "#8")


def test_rows_of_another_layout_are_read_by_their_own_positions() -> None:
    a, b = rows("id", "title", "flag", "created_at")[0], rows("created_at", "flag", "title", "id")[0]
    for row in (a, b, a, b):  # alternating results: each is read by its own layout
        assert ROW_BODY(row, count=3) == EXPECTED


def test_a_row_without_a_column_of_the_shape_is_refused() -> None:
    with pytest.raises(AttributeError, match="no column"):
        ROW_BODY(rows("id", "title", "created_at")[0], count=3)


def test_passed_keys_are_checked() -> None:
    thing = Thing(7, "Seven", True, WHEN)
    with pytest.raises(TypeError):
        BODY(thing)  # count is required
    with pytest.raises(TypeError):
        BODY(thing, count=1, nope=2)  # not a key of the shape
    with pytest.raises(TypeError, match="has no key"):
        Body(Thing, ThingJson, passed={"nope"})


def test_a_plain_body_copies_attributes() -> None:
    class PlainJson(TypedDict):
        title: str
        id: int

    assert list(Body(Thing, PlainJson)(Thing(7, "Seven", True, WHEN)).items()) == [("title", "Seven"), ("id", 7)]
