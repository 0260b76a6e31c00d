"""``schema.execution``: the short ways through plain scalar fields and held values answer exactly what
Strawberry's own executor answers (the same data, the same errors with the same paths and locations), and
``selected`` reads a selection the way execution collects it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import Enum
from inspect import isawaitable
from typing import Any, cast

import pytest
import strawberry
from graphql import execute, parse
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import Execution, selected

CALLS: list[str] = []  # the resolvers of held fields that ran


class Never(BasePermission):
    message = "Not for you."

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


SEEN: list[frozenset[str]] = []  # what ``selected`` answered


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tag(Named):  # a type with an interface: graphql-core asks its is_type_of
    weight: int | None


@strawberry.type
class Item:
    id: strawberry.ID
    title: str
    count: int
    price: float | None
    on: bool
    when: datetime
    data: JSON
    colour: Colour
    missing: str  # non-null, but some items hold None
    nickname: str | None
    big: int  # some items hold a number no GraphQL Int takes
    secret: str | None = strawberry.field(default="s", permission_classes=[Never])  # no resolver, but checked
    parts: list[Tag] | None = None  # objects held as a plain attribute (as a connection holds its edges)
    odd: JSON | None = None  # some items hold a value that is not plain (a tuple)
    marked: Tag | None = None  # item 4's is a Tag that ``strawberry.cast`` marked as another type
    held: strawberry.Private[dict[str, Any] | None] = None

    @strawberry.field
    def tags(self) -> list[Tag]:
        CALLS.append(f"tags {self.id}")
        return [Tag(name=f"t{self.id}", weight=1), Tag(name="x", weight=None)]

    @strawberry.field
    async def best(self) -> Tag | None:
        CALLS.append(f"best {self.id}")
        return Tag(name=f"best{self.id}", weight=2) if self.id != "2" else None

    @strawberry.field
    def lead(self) -> Tag:
        CALLS.append(f"lead {self.id}")
        return None  # type: ignore[return-value]  # a non-null object field that answers null

    @strawberry.field
    def scaled(self, factor: int = 2) -> int:
        return self.count * factor


def _item(i: int, *, holding: bool) -> Item:
    item = Item(
        id=strawberry.ID(str(i)),
        title=f"Item {i}",
        count=i,
        price=None if i == 2 else 1.5 * i,
        on=i % 2 == 0,
        when=datetime(2026, 1, i + 1, 12, tzinfo=UTC),
        data=cast(JSON, {"i": i, "list": [1, 2]}),
        colour=Colour.RED if i % 2 else Colour.BLUE,
        missing=None if i == 2 else "here",  # type: ignore[arg-type]
        nickname=None,
        big=2**40 if i == 3 else i,
        parts=None if i == 2 else [Tag(name=f"p{i}", weight=i)],
        odd=cast(JSON, (1, 2) if i == 3 else [1, 2]),
        marked=strawberry.cast(Item, Tag(name="m", weight=4)) if i == 4 else Tag(name="m", weight=i),
    )
    if holding:
        best = Tag(name=f"best{i}", weight=2) if i != 2 else None
        item.held = {"tags": [Tag(name=f"t{i}", weight=1), Tag(name="x", weight=None)], "best": best}
        if i == 1:
            item.held["lead"] = None
    return item


HOLDING: list[bool] = [False]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [_item(i, holding=HOLDING[0]) for i in range(1, 5)]

    @strawberry.field
    def item(self) -> Item:
        return _item(2, holding=HOLDING[0])

    @strawberry.field
    def wrong(self) -> Tag | None:
        return Item(  # type: ignore[return-value]  # not a Tag: "Expected value of type 'Tag'"
            id=strawberry.ID("9"), title="", count=0, price=None, on=False, when=datetime(2026, 1, 1, tzinfo=UTC),
            data=cast(JSON, {}), colour=Colour.RED, missing="", nickname=None, big=0,
        )  # fmt: skip

    @strawberry.field
    def look(self, info: strawberry.Info) -> list[Item]:
        SEEN.append(selected(info, "tags"))
        return []


def _run(context_class: type, query: str, variables: dict[str, Any] | None = None) -> Any:
    schema = strawberry.Schema(query=Query, execution_context_class=context_class)
    result = asyncio.run(schema.execute(query, variable_values=variables))
    return result.data, [e.formatted for e in result.errors or []]


DOCUMENTS = [
    "{ items { id title count price on when data colour nickname } }",
    "{ items { title missing } }",  # a non-null scalar that is null: the error, its path and locations
    "{ item { title missing } }",  # ... bubbling up to a non-null root field
    "{ items { count big } }",  # a value the Int cannot represent
    "{ items { a: title b: title, title } }",
    "{ items { ...F } } fragment F on Item { id colour tags { name weight } }",
    "{ items { id tags { name weight } best { name } } }",
    "{ items { id lead { name } } }",  # a held null (item 1) and a resolved null (the others): both errors
    "{ items { scaled scaled3: scaled(factor: 3) __typename } }",
    "query($s: Boolean!) { items { title @skip(if: $s) count @include(if: $s) } }",
    "{ wrong { name } items { id } }",  # an object of the wrong type
    "{ items { id secret } }",  # a field without a resolver but with a permission check: the check runs
    "{ items { id title parts { name weight } tags { name } best { name } } }",  # whole items built at once
    "{ items { id parts { name weight } lead { name } } }",  # ... but a held null in a non-null field
    "{ items { id parts { name ... on Tag { weight } } big } }",  # ... but an Int out of range
    "{ items { id title marked { name weight } } }",  # ... but an object marked as another type
]


@pytest.mark.parametrize("holding", [False, True])
@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_answers_and_errors_as_strawberry(document: str, holding: bool) -> None:
    variables = {"s": True} if "$s" in document else None
    HOLDING[0] = holding
    try:
        expected = _run(StrawberryGraphQLCoreExecutionContext, document, variables)
        CALLS.clear()
        got = _run(Execution, document, variables)
    finally:
        HOLDING[0] = False
    assert got == expected
    if "secret" in document:
        assert {e["message"] for e in got[1]} == {"Not for you."}
    if holding and ("tags" in document or "best" in document):
        # The held values were completed without their resolvers.
        assert not [c for c in CALLS if c.startswith(("tags", "best"))], CALLS
    if holding and "lead" in document:
        assert "lead 1" not in CALLS  # item 1 held its (null) lead


class Recording(Execution):
    """``Execution`` noting each field that graphql-core executed (the field-by-field way)."""

    executed: list[str] = []

    def execute_field(self, parent_type: Any, source: Any, field_details_list: Any, path: Any, position: Any) -> Any:
        Recording.executed.append(f"{parent_type.name}.{field_details_list[0].node.name.value}")
        return super().execute_field(parent_type, source, field_details_list, path, position)


@pytest.mark.parametrize(
    ("document", "holding", "executed"),
    [
        # Everything under an item is plain or held: each item's answer is built at once.
        (
            "{ items { __typename id title when data parts { name weight } tags { __typename name } best { name } } }",
            True,
            {"Query.items"},
        ),
        # Without held values the relations' resolvers run, field by field; the tags they answer are built at once.
        ("{ items { id parts { name } tags { name } } }", False, {"Query.items", "Item.parts", "Item.tags"}),
        # An enum member is coerced by its type in the build too.
        ("{ items { id colour } }", True, {"Query.items"}),
        # A value that is not plain (a set for a JSON field) abandons the build: the items go field by field.
        ("{ items { id odd } }", True, {"Query.items", "Item.odd"}),
    ],
)
def test_whole_objects_are_built_at_once(document: str, holding: bool, executed: set[str]) -> None:
    HOLDING[0] = holding
    Recording.executed = []
    try:
        expected = _run(StrawberryGraphQLCoreExecutionContext, document)
        got = _run(Recording, document)
    finally:
        HOLDING[0] = False
    assert got == expected and not got[1]
    assert set(Recording.executed) == executed


def test_a_schema_with_its_own_default_resolver() -> None:
    """Attributes are read through the schema's default resolver where it is not ``getattr`` (here, items are
    dicts): the same answers as Strawberry's executor, built at once."""

    def run(context_class: type) -> Any:
        config = StrawberryConfig(default_resolver=_read_key)
        schema = strawberry.Schema(query=Lines, execution_context_class=context_class, config=config)
        result = asyncio.run(schema.execute("{ lines { title count __typename } }"))
        return result.data, result.errors

    Recording.executed = []
    assert run(Recording) == run(StrawberryGraphQLCoreExecutionContext)
    assert run(Recording)[0] == {"lines": [{"title": f"r{i}", "count": i, "__typename": "Line"} for i in range(3)]}
    assert set(Recording.executed) == {"Lines.lines"}


def _read_key(source: Any, name: str) -> Any:
    return source[name] if isinstance(source, dict) else getattr(source, name)


@strawberry.type
class Line:
    title: str
    count: int


@strawberry.type
class Lines:
    @strawberry.field
    def lines(self) -> list[Line]:
        return [{"title": f"r{i}", "count": i} for i in range(3)]  # type: ignore[misc]


class Compiling(Execution):
    """``Execution`` counting the fields it works out a build for."""

    worked_out = 0

    def _field_read(self, parent_type: Any, details: Any) -> Any:
        Compiling.worked_out += 1
        return super()._field_read(parent_type, details)


def test_builds_are_shared_between_operations_of_one_document_and_follow_its_conditions() -> None:
    schema = strawberry.Schema(query=Query)._schema
    # One parsed document, as the document cache hands it to every operation with this text.
    document = parse("query($b: Boolean!) { items { id parts { name weight @include(if: $b) } } }")

    def run(context_class: type, b: bool) -> Any:
        result = execute(schema, document, variable_values={"b": b}, executor_class=context_class)
        assert not isawaitable(result)
        return result.data, result.errors

    HOLDING[0] = True
    try:
        for b, worked_out in ((True, True), (False, True), (True, False), (False, False)):
            Compiling.worked_out = 0
            assert run(Compiling, b) == run(StrawberryGraphQLCoreExecutionContext, b)
            # A condition's other value selects other fields below: worked out once for each value, then shared.
            assert (Compiling.worked_out > 0) == worked_out
    finally:
        HOLDING[0] = False


def test_errors_are_located_the_same() -> None:
    data, errors = _run(Execution, "{ items { title missing } }")
    assert data is None  # items is [Item!]!: the null bubbles up to the root
    assert errors == [
        {
            "message": "Cannot return null for non-nullable field Item.missing.",
            "locations": [{"line": 1, "column": 17}],
            "path": ["items", 1, "missing"],
        }
    ]


@pytest.mark.parametrize(
    ("document", "variables", "expected"),
    [
        ("{ look { tags { name } id } }", None, {"name"}),
        ("{ look { tags { n: name, weight } } }", None, {"name", "weight"}),
        (
            "{ look { ...F } } fragment F on Item { tags { ... on Tag { weight } ...G } } fragment G on Tag { name }",
            None,
            {"weight", "name"},
        ),
        ("{ look { tags { name @skip(if: true) weight @include(if: false) } } }", None, set()),
        (
            "query($x: Boolean!) { look { tags { name @skip(if: $x) weight @include(if: $x) } } }",
            {"x": True},
            {"weight"},
        ),
        ("query($x: Boolean!) { look { tags @include(if: $x) { name } } }", {"x": False}, set()),
        ("{ look { id } }", None, set()),
    ],
)
def test_selected(document: str, variables: dict[str, Any] | None, expected: set[str]) -> None:
    SEEN.clear()
    schema = strawberry.Schema(query=Query, execution_context_class=Execution)
    result = schema.execute_sync(document, variable_values=variables)
    assert result.errors is None, result.errors
    assert SEEN == [frozenset(expected)]


async def test_the_service_shares_builds_between_requests(app: Any, services: Any, monkeypatch: Any) -> None:
    """Through the service (Strawberry's executor with its middleware manager, the document cache): the second
    request with a document's text works out no build."""
    from tests.support.factories import make_workspace
    from tests.support.serving import asgi_client

    worked_out: list[str] = []
    getter = Execution._field_read

    def counting(self: Execution, parent_type: Any, details: Any) -> Any:
        worked_out.append(parent_type.name)
        return getter(self, parent_type, details)

    monkeypatch.setattr(Execution, "_field_read", counting)
    workspace = await make_workspace(services)
    query = "query($n: Int!) { products(first: $n) { totalCount edges { cursor node { id title } } } }"
    async with asgi_client(app) as client:
        for first in (5, 7):
            response = await client.post(
                "/graphql", headers=workspace.headers(), json={"query": query, "variables": {"n": first}}
            )
            assert response.status_code == 200 and "errors" not in response.json(), response.text
            if first == 5:
                assert worked_out
                worked_out.clear()
    assert worked_out == []
