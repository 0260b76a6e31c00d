"""Each document text is parsed and validated once (``schema.extensions.DocumentCache`` and
``OperationLimits``), and the answers stay what they were: what depends on the variables (their text, the
cost of the page sizes they give) is checked on every request; what refused a document refuses it every time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import parse as graphql_parse

import schema.extensions as extensions
from tests.support.graphql import gql

PAGE = """query Page($first: Int!) {
  products(first: $first) { totalCount edges { node { id title brand { title } categories { title } } } }
}"""


def unique(document: str) -> str:
    """The document with a comment of its own: a text no other test has sent (the caches are per process)."""
    return f"# {uuid.uuid4()}\n{document}"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many times graphql-core parsed and validated a document during the test."""
    calls = {"parse": 0, "validate": 0}
    validate = strawberry_schema.validate  # type: ignore[attr-defined]

    def counting_validate(*args: Any, **kwargs: Any) -> Any:
        calls["validate"] += 1
        return validate(*args, **kwargs)

    def counting_parse(*args: Any, **kwargs: Any) -> Any:
        calls["parse"] += 1
        return graphql_parse(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counting_validate)
    monkeypatch.setattr(strawberry_schema, "parse", counting_parse)
    monkeypatch.setattr(extensions, "parse", counting_parse)
    extensions._parsed.cache_clear()
    yield calls
    extensions._parsed.cache_clear()


async def test_a_document_sent_again_is_neither_parsed_nor_validated_again(client, workspace, counted):
    document = unique(PAGE)
    answers = [await gql(client, document, {"first": 5}, token=workspace.api_key) for _ in range(4)]
    assert counted == {"parse": 1, "validate": 1}
    for status, body in answers:
        assert status == 200 and "errors" not in body, body
        assert body["data"] == answers[0][1]["data"]
        assert (
            body["extensions"]["cost"]["requestedQueryCost"]
            == answers[0][1]["extensions"]["cost"]["requestedQueryCost"]
        )


async def test_the_cost_follows_the_variables_of_each_request(client, workspace, counted):
    document = unique(PAGE)
    costs = []
    for first in (5, 50, 5, 100):
        status, body = await gql(client, document, {"first": first}, token=workspace.api_key)
        assert status == 200 and "errors" not in body, body
        costs.append(body["extensions"]["cost"]["requestedQueryCost"])
    # A connection costs 2 plus `first` items (a product, its brand and its categories: 3 each).
    assert costs == [2 + 5 * 3, 2 + 50 * 3, 2 + 5 * 3, 2 + 100 * 3]
    assert counted["validate"] == 1


NESTED = """query Nested($first: Int!) {
  products(first: $first) { edges { node { productReviews(first: $first) { edges { node { text } } } } } }
}"""


async def test_a_cached_document_is_still_refused_when_its_variables_make_it_too_dear(client, workspace, counted):
    # The refusal of a document never seen before (every rule runs) ...
    status, refused = await gql(client, unique(NESTED), {"first": 100}, token=workspace.api_key)
    assert status == 200 and refused["data"] is None, refused
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["MAX_COST_EXCEEDED"]
    # ... is the refusal of one known valid, whose variables now make it too dear.
    known = unique(NESTED)
    status, body = await gql(client, known, {"first": 2}, token=workspace.api_key)
    assert status == 200 and "errors" not in body, body
    for _ in range(2):
        assert await gql(client, known, {"first": 100}, token=workspace.api_key) == (200, refused)
    status, body = await gql(client, known, {"first": 2}, token=workspace.api_key)
    assert status == 200 and "errors" not in body, body
    assert counted["validate"] == 2


async def test_the_variables_of_a_cached_document_are_still_checked_for_text(counted):
    # JSON bodies with such text are refused before GraphQL sees them; other transports hand them over.
    from schema import build_schema

    schema = build_schema()
    search = """query Search($search: String) { products(first: 5, filter: {search: $search}) { totalCount } }"""
    fresh = await schema.execute(unique(search), variable_values={"search": "sh\x00oe"})
    assert fresh.errors and [e.extensions for e in fresh.errors] == [{"code": "BAD_USER_INPUT"}]
    known = unique(search)
    await schema.execute(known, variable_values={"search": "shoe"})  # valid (it fails later, without a caller)
    validated = counted["validate"]
    for _ in range(2):
        result = await schema.execute(known, variable_values={"search": "sh\x00oe"})
        assert result.data is None and result.errors is not None
        assert [(e.message, e.extensions) for e in result.errors] == [(e.message, e.extensions) for e in fresh.errors]
    assert counted["validate"] == validated


async def test_a_refused_document_is_refused_every_time(client, workspace, counted):
    unknown = unique("{ products(first: 5) { edges { node { noSuchField } } } }")
    broken = unique("{ products(first: 5) { edges { node { title } }")
    for document, code in ((unknown, "GRAPHQL_VALIDATION_FAILED"), (broken, "GRAPHQL_PARSE_FAILED")):
        answers = [await gql(client, document, token=workspace.api_key) for _ in range(3)]
        assert all(a == answers[0] for a in answers), answers
        _, body = answers[0]
        assert {e["extensions"]["code"] for e in body["errors"]} == {code}, body
    # Only documents that passed every rule are remembered as valid.
    assert counted["validate"] == 3


async def test_a_subscription_sent_over_http_is_refused_even_once_known(client, workspace):
    document = unique("subscription { jobEvents { seq } }")
    for _ in range(2):
        status, body = await gql(client, document, token=workspace.api_key)
        assert status == 400 and body["errors"][0]["extensions"]["code"] == "BAD_REQUEST", body
