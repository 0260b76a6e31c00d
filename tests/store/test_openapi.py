"""The store surface documents itself: a valid OpenAPI 3.1 document with every operation it serves, their
parameters, bodies and answers."""

from __future__ import annotations

from openapi_spec_validator import validate

from resolvers.rest.openapi import document
from resolvers.rest.store import SURFACE


def test_the_store_document_validates_and_lists_every_operation() -> None:
    doc = document(SURFACE)
    validate(doc)
    listed = {(method.upper(), path) for path, item in doc["paths"].items() for method in item}
    assert listed == {(op.method, SURFACE.prefix + op.path) for op in SURFACE.operations}
    for path in ("/api/articles", "/api/article-categories", "/api/pages", "/api/users", "/api/settings"):
        assert path in doc["paths"], path
    operation_ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_operations_document_their_inputs_and_answers() -> None:
    doc = document(SURFACE)
    create = doc["paths"]["/api/articles"]["post"]
    assert create["x-permission"] == "store.articles.manage"
    assert set(create["responses"]) >= {"201", "401", "402", "403", "422"}
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = doc["components"]["schemas"][ref.removeprefix("#/components/schemas/")]
    assert {"title", "article_categories", "product_category_id", "generate_ai_content"} <= set(body["properties"])
    listing = doc["paths"]["/api/articles"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "page", "per_page", "sort_by", "sort_dir", "search", "enabled", "generated", "article_category_id",
    }  # fmt: skip
    one = doc["paths"]["/api/articles/{id}"]
    assert set(one) == {"get", "patch", "delete"} and "404" in one["get"]["responses"]
    assert doc["paths"]["/api/store/status"]["get"]["security"] == []
    assert {"200", "422"} <= set(doc["paths"]["/api/analytics/visits"]["get"]["responses"])


async def test_the_surface_serves_its_document(client) -> None:
    r = await client.get("/api/openapi.json")
    assert r.status_code == 200 and r.json() == document(SURFACE)
