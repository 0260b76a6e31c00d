"""The store surface's OpenAPI document describes the catalog: it validates, lists every catalog operation
with its query parameters, and documents the bodies it answers with."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from resolvers.rest.openapi import document
from resolvers.rest.store import SURFACE

OPERATIONS = {
    ("post", "/api/products/import-links"),
    ("get", "/api/products"),
    ("post", "/api/products"),
    ("get", "/api/products/{id}"),
    ("patch", "/api/products/{id}"),
    ("delete", "/api/products/{id}"),
    ("get", "/api/products/{id}/offers"),
    ("get", "/api/products/{id}/categories"),
    ("post", "/api/products/{id}/categories"),
    ("get", "/api/products/{id}/analytics"),
    ("get", "/api/offers/merchants"),
    ("get", "/api/offers"),
    ("post", "/api/offers"),
    ("get", "/api/offers/{id}"),
    ("patch", "/api/offers/{id}"),
    ("delete", "/api/offers/{id}"),
    ("post", "/api/offers/{id}/products"),
    ("post", "/api/categories/fill"),
    ("post", "/api/categories/generate-list"),
    ("get", "/api/categories/tree"),
    ("get", "/api/categories"),
    ("post", "/api/categories"),
    ("get", "/api/categories/{id}"),
    ("patch", "/api/categories/{id}"),
    ("delete", "/api/categories/{id}"),
    ("get", "/api/categories/{id}/products"),
    ("post", "/api/brands/clean"),
    ("get", "/api/brands"),
    ("post", "/api/brands"),
    ("get", "/api/brands/{id}"),
    ("patch", "/api/brands/{id}"),
    ("delete", "/api/brands/{id}"),
    ("get", "/api/brands/{id}/products"),
}

LIST_PARAMETERS = ["page", "per_page", "sort_by", "sort_dir"]


def _doc() -> dict[str, Any]:
    doc = document(SURFACE)
    validate(doc)
    return doc


def _parameters(doc: dict[str, Any], method: str, path: str) -> list[str]:
    return [p["name"] for p in doc["paths"][path][method].get("parameters", []) if p["in"] == "query"]


def _success(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation = doc["paths"][path][method]
    status = next(s for s in operation["responses"] if s.startswith("2"))
    content: dict[str, Any] = operation["responses"][status].get("content", {}).get("application/json", {})
    schema: dict[str, Any] = content.get("schema", {})
    return schema


def _component(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def test_the_document_validates_and_lists_every_catalog_operation() -> None:
    doc = _doc()
    served = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert OPERATIONS <= served
    for method, path in OPERATIONS:
        operation = doc["paths"][path][method]
        assert operation["summary"] and operation["tags"], (method, path)
        if "{id}" in path:
            assert "404" in operation["responses"], (method, path)


def test_lists_document_their_filters_paging_sorting_and_includes() -> None:
    doc = _doc()
    assert _parameters(doc, "get", "/api/products") == [
        *LIST_PARAMETERS,
        "include",
        "search",
        "enabled",
        "brand_id",
        "category_id",
        "generated",
    ]
    assert _parameters(doc, "get", "/api/offers") == [*LIST_PARAMETERS, "search", "merchant", "enabled", "product_id"]
    assert _parameters(doc, "get", "/api/categories") == [*LIST_PARAMETERS, "search", "enabled", "parent_id"]
    assert _parameters(doc, "get", "/api/brands") == [*LIST_PARAMETERS, "search", "enabled"]
    for path in ("/api/brands/{id}/products", "/api/categories/{id}/products"):
        assert _parameters(doc, "get", path) == [*LIST_PARAMETERS, "include"]
    assert _parameters(doc, "get", "/api/products/{id}") == ["include"]
    assert _parameters(doc, "get", "/api/products/{id}/offers") == LIST_PARAMETERS


def test_answers_are_documented_with_their_fields() -> None:
    doc = _doc()
    page = _success(doc, "get", "/api/products")
    assert set(page["properties"]) == {"data", "links", "meta"}
    product = _component(doc, page["properties"]["data"]["items"]["$ref"])
    assert {"id", "slug", "title", "brand_id", "keywords", "created_at"} <= set(product["properties"])
    assert {"brand", "offers", "categories"} <= set(product["properties"]) - set(product["required"])

    brand = _component(doc, _success(doc, "get", "/api/brands/{id}")["properties"]["data"]["$ref"])
    assert "products_count" in brand["required"]
    tree = _success(doc, "get", "/api/categories/tree")["properties"]["data"]["items"]
    assert "children" in _component(doc, tree["$ref"])["required"]
    offer = _component(doc, _success(doc, "post", "/api/offers")["properties"]["data"]["$ref"])
    assert {"merchant_offer_id", "merchant_product_id", "url_detail"} <= set(offer["required"])
    assert _success(doc, "delete", "/api/products/{id}") == {}

    body = doc["paths"]["/api/products"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"title", "brand_id", "highlights"} <= set(_component(doc, body["$ref"])["properties"])
    for path in ("/api/products/import-links", "/api/categories/fill", "/api/brands/clean"):
        assert {"202", "422"} <= set(doc["paths"][path]["post"]["responses"]), path
