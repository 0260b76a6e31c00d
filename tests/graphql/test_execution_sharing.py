"""Whole-object builds shared between operations of one document answer what Strawberry's own executor
answers, through the document cache as the service runs them: operations whose conditions have the same values
under other names, a variable that is a condition in one operation and a list in another, a condition whose
value is refused while the build is worked out, and field middleware (which must see ``__typename`` too)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext as Ref

from schema.execution import Execution
from schema.extensions import DocumentCache


@strawberry.type
class Leaf:
    id: str
    name: str


@strawberry.type
class Item:
    name: str
    child: Leaf | None


@strawberry.type
class Query:
    @strawberry.field
    def item(self) -> Item | None:
        return Item(name="i", child=Leaf(id="L", name="n"))

    @strawberry.field
    def x(self) -> str:
        return "x"

    @strawberry.field
    def echo(self, v: list[str] | None = None) -> str:
        return ",".join(v or [])


def runs(cls: type, doc: str, calls: Sequence[tuple[str | None, Any]], extensions: Any = ()) -> list[Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=cls, extensions=[DocumentCache, *extensions])
    out = []
    for op, vs in calls:
        r = asyncio.run(schema.execute(doc, variable_values=vs, operation_name=op))
        out.append((r.data, [e.formatted for e in r.errors or []]))
    return out


def test_a_build_is_shared_only_under_the_same_condition_names_and_values() -> None:
    doc = """query A($a: Boolean!, $s: Boolean!) { ...F x @skip(if: $a) }
             query B($s: Boolean!, $z: Boolean!) { ...F x @skip(if: $z) }
             fragment F on Query { item { name child { id name @skip(if: $s) } } }"""
    calls = [("A", {"a": True, "s": False}), ("B", {"s": True, "z": False})]
    assert runs(Execution, doc, calls) == runs(Ref, doc, calls)


def test_a_variable_that_is_no_condition_in_the_running_operation() -> None:
    doc = """query A($v: [String!]) { echo(v: $v) item { name } }
             query B($v: Boolean!) { ...G }
             fragment G on Query { item { name @skip(if: $v) } }"""
    calls = [("A", {"v": ["a"]})]
    assert runs(Execution, doc, calls) == runs(Ref, doc, calls)


def test_an_error_met_while_working_out_a_build_is_located_where_it_belongs() -> None:
    doc = "query($v: Boolean = true) { item { name child { id name @include(if: $v) } } }"
    calls = [(None, {"v": None})]
    assert runs(Execution, doc, calls) == runs(Ref, doc, calls)


SEEN: list[str] = []


class Trace(SchemaExtension):
    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        SEEN.append(f"{info.parent_type.name}.{info.field_name}")
        return _next(root, info, *args, **kwargs)


def test_field_middleware_sees_typename() -> None:
    SEEN.clear()
    runs(Ref, "{ item { __typename } }", [(None, None)], [Trace])
    expected = list(SEEN)
    SEEN.clear()
    runs(Execution, "{ item { __typename } }", [(None, None)], [Trace])
    assert SEEN == expected
