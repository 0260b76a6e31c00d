"""``schema.from_model``: a type built from a model or a row holds the model's values under its fields, made
without its dataclass ``__init__`` where that only stores them; a ``Node``'s global id is worked out when first
read; a type whose ``__init__`` does more is still made by calling it."""

from __future__ import annotations

import asyncio
from dataclasses import field
from types import SimpleNamespace
from typing import Any

import strawberry
from sqlalchemy import create_engine, literal, select

from schema.from_model import FromModel
from schema.relay import Node, from_global_id


@strawberry.type
class Gadget(Node, FromModel):
    rest_id = "gadget_id"

    gadget_id: int
    title: str
    note: str | None
    model: strawberry.Private[Any]
    held: strawberry.Private[dict[str, Any] | None] = None

    @strawberry.field
    def shout(self) -> str:
        return self.title.upper()


POSTED: list[str] = []


@strawberry.type
class Posted(FromModel):
    title: str

    def __post_init__(self) -> None:
        POSTED.append(self.title)


@strawberry.type
class Counted(FromModel):
    title: str
    seen: strawberry.Private[list[str]] = field(init=False, default_factory=list)


@strawberry.type
class Shouted(FromModel):
    title: str

    @classmethod
    def from_model(cls, model: Any) -> Shouted:
        return cls.build(model, title=model.title.upper())


@strawberry.type
class Query:
    @strawberry.field
    def gadgets(self) -> list[Gadget]:
        return [Gadget.from_model(SimpleNamespace(id=i, title=f"G{i}", note=None)) for i in (1, 2)]

    @strawberry.field
    def cast(self) -> Gadget | None:
        other = Gadget.from_model(SimpleNamespace(id=3, title="G3", note="n"))
        return strawberry.cast(Posted, other)  # marked as another type


def test_an_object_holds_the_models_values_and_works_out_its_global_id_when_read() -> None:
    model = SimpleNamespace(id=7, title="Seven", note=None, other="not a field")
    gadget = Gadget.from_model(model)
    assert (gadget.gadget_id, gadget.title, gadget.note, gadget.model, gadget.held) == (7, "Seven", None, model, None)
    assert "id" not in vars(gadget)  # not encoded until read
    assert from_global_id(gadget.id) == ("Gadget", "7")
    assert vars(gadget)["id"] == gadget.id  # worked out once
    assert not hasattr(gadget, "other")
    assert gadget == Gadget.from_model(model)  # dataclass equality reads every field, the id included
    assert "gadget_id=7" in repr(gadget)


def test_an_object_built_from_a_row_reads_it_by_position_in_any_column_order() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        first = conn.execute(select(literal("T").label("title"), literal(5).label("id"), literal("x").label("note")))
        second = conn.execute(select(literal(6).label("id"), literal(None).label("note"), literal("U").label("title")))
        rows = [*first.all(), *second.all()]
    built = [Gadget.from_model(row) for row in rows]
    assert [(g.gadget_id, g.title, g.note) for g in built] == [(5, "T", "x"), (6, "U", None)]
    assert [from_global_id(g.id) for g in built] == [("Gadget", "5"), ("Gadget", "6")]


def test_given_values_and_types_whose_init_does_more_are_made_by_calling_the_type() -> None:
    POSTED.clear()
    Posted.from_model(SimpleNamespace(title="posted"))
    assert POSTED == ["posted"]  # __post_init__ ran
    counted = Counted.from_model(SimpleNamespace(title="c"))
    assert counted.seen == []  # the field __init__ makes was made
    given = Gadget.build(SimpleNamespace(id=1, title="model's", note=None), title="given")
    assert (given.title, from_global_id(given.id)) == ("given", ("Gadget", "1"))


def test_answers_and_the_cast_mark_through_the_service_executor() -> None:
    from schema.execution import Execution

    schema = strawberry.Schema(query=Query, execution_context_class=Execution)
    result = asyncio.run(schema.execute("{ gadgets { id gadgetId title note shout } }"))
    assert result.errors is None and result.data is not None
    assert [from_global_id(g["id"]) for g in result.data["gadgets"]] == [("Gadget", "1"), ("Gadget", "2")]
    assert result.data["gadgets"][1] == {**result.data["gadgets"][1], "gadgetId": 2, "title": "G2", "shout": "G2"}
    refused = asyncio.run(schema.execute("{ cast { title } }"))  # an object marked as another type is refused
    assert refused.data == {"cast": None}
    assert refused.errors and "Expected value of type 'Gadget'" in refused.errors[0].message


def test_from_models_is_from_model_of_each_whatever_mix_of_rows_and_models() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        first = conn.execute(select(literal("T").label("title"), literal(5).label("id"), literal("x").label("note")))
        second = conn.execute(select(literal(6).label("id"), literal(None).label("note"), literal("U").label("title")))
        a, b = first.all()[0], second.all()[0]
    mixed = [a, b, SimpleNamespace(id=7, title="V", note="n"), b, a]
    many = Gadget.from_models(mixed)
    assert all("id" not in vars(g) for g in many)  # the global ids still lazy
    assert many == [Gadget.from_model(m) for m in mixed]  # the same values, the layout of each result used
    assert [(g.gadget_id, g.model) for g in many] == [(5, a), (6, b), (7, mixed[2]), (6, b), (5, a)]
    POSTED.clear()
    assert [p.title for p in Posted.from_models([SimpleNamespace(title="p1"), SimpleNamespace(title="p2")])] == [
        "p1",
        "p2",
    ]
    assert POSTED == ["p1", "p2"]  # a type whose __init__ does more is still called for each
    assert Gadget.from_models([]) == []


def test_from_models_of_a_type_with_its_own_from_model_uses_it() -> None:
    assert [s.title for s in Shouted.from_models([SimpleNamespace(title="a"), SimpleNamespace(title="b")])] == [
        "A",
        "B",
    ]


def test_an_unpickled_object_works_out_its_id_in_a_process_that_never_built_its_type() -> None:
    import pickle

    from schema import from_model

    data = pickle.dumps(Gadget.from_model(SimpleNamespace(id=9, title="Nine", note=None)))
    from_model._PLANS.pop(Gadget, None)  # as in another process
    gadget = pickle.loads(data)
    assert from_global_id(gadget.id) == ("Gadget", "9")
    assert not hasattr(gadget, "missing")
