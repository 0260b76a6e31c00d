"""Bodies that are not JSON this service takes — nested without end, numbers of thousands of digits — are
answered as malformed JSON in each surface's dialect (and GraphQL's), never as a server error, and change
nothing. NaN and Infinity are numbers to the decoder; the fields refuse them (stored JSON included)."""

from __future__ import annotations

import pytest

from tests.backbone.support import row_counts

BODIES = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "nested 70 deep": b'{"title": ' + b"[" * 70 + b"]" * 70 + b"}",
    "a 5,000-digit number": b'{"title": "x", "review_quantity": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
async def test_rest_surfaces_answer_malformed_json_in_their_dialect(client, services, workspace, body):
    before = await row_counts(services)
    h = {**workspace.headers(), "content-type": "application/json"}
    store = await client.post("/api/products", headers=h, content=body)
    assert store.status_code == 422 and store.json()["message"].startswith("Malformed JSON"), store.text
    content = await client.post("/brandbrain/content-configs", headers=h, content=body)
    assert content.status_code == 400 and content.json()["code"] == "invalid_json", content.text
    assert await row_counts(services) == before


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
async def test_graphql_answers_malformed_json_as_a_graphql_error(client, workspace, body):
    response = await client.post(
        "/graphql", headers={**workspace.headers(), "content-type": "application/json"}, content=body
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["message"].startswith("Malformed JSON")


@pytest.mark.parametrize(
    ("field", "value"),
    [("review_score", b"NaN"), ("attributes", b'{"w": Infinity}'), ("keywords", b"[1, -Infinity]")],
)
async def test_nan_and_infinity_are_refused_by_the_field_never_stored(client, services, workspace, field, value):
    before = await row_counts(services)
    h = {**workspace.headers(), "content-type": "application/json"}
    body = b'{"title": "x", "' + field.encode() + b'": ' + value + b"}"
    response = await client.post("/api/products", headers=h, content=body)
    assert response.status_code == 422 and list(response.json()["errors"]) == [field], response.text
    assert await row_counts(services) == before
    assert (await client.get("/api/products", headers=h)).status_code == 200
