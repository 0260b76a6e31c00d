"""The static measure of a document (``schema.cost``): Shopify's rules, fragments measured once."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, get_introspection_query, parse

from schema import build_schema
from schema.cost import CEILING, Analysis, analyse, dependency_order
from tests.graphql.documents import PRODUCTS_WITH_BRANDS, fan_out
from tests.support.calls import counted_calls

SCHEMA = build_schema()._schema


def measure(document: str, variables: dict[str, Any] | None = None, operation: str | None = None) -> Analysis:
    return analyse(SCHEMA, parse(document), variables, operation)


def cost(document: str, variables: dict[str, Any] | None = None) -> int:
    running = measure(document, variables).running
    assert running is not None
    return running.cost


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ viewer { kind role scopes } }", 1),  # an object 1, scalars and lists of scalars 0
        ("{ viewer { workspace { name } user { email } } }", 3),
        ("{ __typename viewer { __typename } }", 1),
        # A connection: 2, plus `first` times one item (the edge is free, its node 1, the node's brand 1).
        (PRODUCTS_WITH_BRANDS, 2 + 10 * 2),
        ("{ products { edges { node { id } } } }", 2 + 20 * 1),  # `first` left out: its default, 20
        ("{ products(first: 5) { totalCount pageInfo { hasNextPage } } }", 2),
        ("{ products(first: 1000) { edges { node { id } } } }", 2 + 100 * 1),  # no list answers more than 100
        ("{ products(first: 2) { edges { node { categories { title } offers { title } } } } }", 2 + 2 * 3),
        ("{ brands(first: 3) { edges { node { products { id brand { id } } } } } }", 2 + 3 * (1 + 2)),
        # A mutation: 10, plus what its payload selects.
        ('mutation { createBrand(input: {title: "A"}) { brand { id } userErrors { field } } }', 10 + 1 + 1),
        # `node(id:)`: the dearest of the types it may be.
        ('{ node(id: "x") { id ... on Brand { title } ... on Product { brand { id } categories { id } } } }', 1 + 2),
        ("query { viewer { ...V } } fragment V on Viewer { workspace { name } }", 2),
        ("{ workspace { members { user { email } } } }", 3),
        ("{ __schema { types { name fields { name } } } }", 0),  # introspection is free
    ],
)
def test_requested_cost_follows_shopify_rules(document, expected):
    assert cost(document) == expected


def test_first_from_a_variable_its_default_or_the_argument_default():
    document = "query($n: Int! = 7) { products(first: $n) { edges { node { id } } } }"
    assert cost(document, {"n": 50}) == 2 + 50
    assert cost(document) == 2 + 7
    assert cost("query($n: Int) { products(first: $n) { edges { node { id } } } }") == 2 + 20
    assert cost(document, {"n": "many"}) == 2 + 100  # refused when the list runs; until then, the most
    assert cost(document, {"n": -5}) == 2


def test_a_fragment_costs_wherever_it_is_spread():
    once = "query { viewer { ...W } } fragment W on Viewer { workspace { name } }"
    twice = "query { viewer { ...W ...W } } fragment W on Viewer { workspace { name } }"
    assert cost(once) == 2 and cost(twice) == 3
    # The variable's default of the operation reaches the fragment measured before it.
    spread = "query($n: Int = 30) { ...P } fragment P on Query { products(first: $n) { edges { node { id } } } }"
    assert cost(spread) == 2 + 30


def test_depth_aliases_and_expanded_fields_come_from_the_same_pass():
    document = """
    query Deep { viewer { ...A } }
    fragment A on Viewer { x: workspace { ...B } y: workspace { ...B } }
    fragment B on Workspace { members { user { email } } }
    """
    running = measure(document).running
    assert running is not None
    assert running.depth == 4  # viewer > workspace > members > user > email
    assert running.aliases == 2
    assert running.fields == 1 + 2 * (1 + 3)
    assert measure("{ viewer { kind } } query Other { a: viewer { b: kind } }").aliases == 2


def test_the_running_operation_is_the_named_one():
    document = "query Cheap { viewer { kind } } query Dear { products(first: 50) { edges { node { id } } } }"
    assert [o.cost for o in measure(document).operations] == [1, 52]
    assert measure(document).running is None  # more than one operation and no name: execution refuses it
    dear = measure(document, operation="Dear").running
    assert dear is not None and dear.name == "Dear" and dear.cost == 52


@pytest.mark.parametrize("fragments", [20, 30, 60])
@pytest.mark.parametrize("leaf", ["kind", "workspace { name }"])
def test_fan_out_is_measured_in_linear_time(fragments, leaf):
    document = fan_out(fragments, leaf)
    with counted_calls() as calls:
        running = measure(document).running
    # Linear in the fragments (about 215 Python calls each); walking the 2^(n-1) expansion would never end.
    assert calls[0] < 250 * fragments + 1000, calls[0]
    assert running is not None and running.depth <= 2
    assert running.fields == min(CEILING, 2 ** (fragments - 1) * (2 if "{" in leaf else 1) + 1)
    assert running.cost == (min(CEILING, 2 ** (fragments - 1) + 1) if "{" in leaf else 1)


def test_documents_that_do_not_validate_are_measured_without_failing():
    cyclic = "query { viewer { ...A } } fragment A on Viewer { ...B workspace { name } } fragment B on Viewer { ...A }"
    assert cost(cyclic) == 2
    assert cost("query { viewer { ...Missing nope { deeper } } }") == 2
    assert cost("{ products(first: $undeclared) { edges { node { id } } } }") == 2 + 20
    chain = " ".join(f"fragment F{i} on Viewer {{ ...F{i + 1} }}" for i in range(800))
    assert cost("query { viewer { ...F0 } } " + chain + " fragment F800 on Viewer { kind }") == 1


def test_dependency_order_puts_each_fragment_after_what_it_spreads():
    document = parse("fragment A on Viewer { ...B ...C } fragment B on Viewer { ...C } fragment C on Viewer { kind }")
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    assert dependency_order(fragments) == ["C", "B", "A"]


def test_graphiql_introspection_costs_nothing_and_is_not_deep():
    running = measure(get_introspection_query(descriptions=True)).running
    assert running is not None and running.cost == 0 and running.depth == 0


def test_actual_cost_counts_objects_in_lists_with_nulls_and_nested_lists() -> None:
    """What an answer cost, by the same rules: objects in a list count one each (a null none), however the lists
    nest; a document walked again (its walker is kept per document) answers for the new data."""
    from graphql import build_schema as sdl_schema

    from schema.cost import actual_cost

    sdl = "type Query { tags: [Tag] grid: [[Tag]] item: Item } type Item { tags: [Tag] } type Tag { n: Int }"
    schema = sdl_schema(sdl)
    document = parse("{ tags { n } grid { n } item { tags { n } } }")
    operation = document.definitions[0]
    tag = {"n": 1}

    def spent(data: dict[str, Any]) -> int:
        return actual_cost(schema, document, operation, data)  # type: ignore[arg-type]

    assert spent({"tags": [tag, None, tag], "grid": [[tag], [None, tag, tag]], "item": {"tags": []}}) == 2 + 3 + 1
    assert spent({"tags": [], "grid": None, "item": {"tags": [tag, tag]}}) == 1 + 2
    assert spent({"tags": None, "grid": [], "item": None}) == 1  # at least 1


def test_the_walker_kept_for_a_document_works_its_selections_out_once() -> None:
    """Walking one document's answers again finds what the first walk worked out: nothing more is kept."""
    from schema import cost

    document = parse("{ products(first: 2) { edges { node { brand { id } categories { id } } } } }")
    operation = document.definitions[0]
    data = {"products": {"edges": [{"node": {"brand": {"id": "b"}, "categories": [{"id": "c"}]}}] * 2}}

    def walked() -> int:
        return len(cost._SPENT[id(document)][2].walks)

    assert cost.actual_cost(SCHEMA, document, operation, data) == 2 + 2 * 3  # type: ignore[arg-type]
    first = walked()
    for _ in range(5):
        assert cost.actual_cost(SCHEMA, document, operation, data) == 2 + 2 * 3  # type: ignore[arg-type]
    assert walked() == first
