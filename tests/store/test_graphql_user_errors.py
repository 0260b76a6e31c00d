"""Every create mutation of the store's GraphQL twin turns bad input into ``userErrors`` naming the GraphQL
input field (camelCase, as the catalog's do; an item of a list by its index), returns no object, and writes
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.store.conftest import ok
from tests.support.graphql import gql

LISTS = ("/api/products", "/api/offers", "/api/categories", "/api/brands", "/api/articles",
         "/api/article-categories", "/api/pages", "/api/users")  # fmt: skip

CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("createArticle", "ArticleInput", "article", {"title": "x" * 256}, "title"),
    ("createArticle", "ArticleInput", "article", {"title": "ok", "articleCategoryIds": ["999999"]},
     "articleCategoryIds.0"),
    ("createArticle", "ArticleInput", "article", {"title": "ok", "productCategoryId": "999999"}, "productCategoryId"),
    ("createArticle", "ArticleInput", "article", {"title": "ok", "metaTitle": "m" * 256}, "metaTitle"),
    ("createArticleCategory", "ArticleCategoryInput", "articleCategory", {"title": "c", "parentId": "999999"},
     "parentId"),
    ("createPage", "PageInput", "page", {"title": "x" * 256}, "title"),
    ("createPage", "PageInput", "page", {"title": "ok", "key": "k" * 256}, "key"),
    ("createStoreUser", "CreateStoreUserInput!", "user", {"email": "not-an-email"}, "email"),
    ("createStoreUser", "CreateStoreUserInput!", "user", {"email": "a@example.com", "firstName": "x" * 256},
     "firstName"),
    ("createProduct", "ProductInput", "product", {"title": "x" * 256}, "title"),
    ("createProduct", "ProductInput", "product", {"title": "ok", "brandId": "999999"}, "brandId"),
    ("createBrand", "BrandInput", "brand", {"title": "x" * 256}, "title"),
    ("createCategory", "CategoryInput", "category", {"title": "c", "parentId": "999999"}, "parentId"),
    ("createOffer", "OfferInput", "offer", {"title": "no merchant", "urlDetail": "https://a.example/x",
                                            "merchantOfferId": "B0X"}, "merchant"),
]  # fmt: skip


async def _totals(client: Any, h: dict[str, str]) -> list[int]:
    return [ok(await client.get(path, headers=h))["meta"]["total"] for path in LISTS]


@pytest.mark.parametrize(("mutation", "input_type", "result", "values", "field"), CASES)
async def test_create_mutations_answer_user_errors_and_write_nothing(
    client, h, workspace, mutation, input_type, result, values, field
):
    before = await _totals(client, h)
    input_type = input_type if input_type.endswith("!") else f"{input_type}!"
    query = (
        f"mutation($input: {input_type}) {{ {mutation}(input: $input) "
        f"{{ {result} {{ id }} userErrors {{ field code message }} }} }}"
    )
    _, body = await gql(client, query, {"input": values}, workspace.api_key)
    assert "errors" not in body, body
    payload = body["data"][mutation]
    assert payload[result] is None
    assert [e["field"] for e in payload["userErrors"]] == [field], payload
    assert all(e["code"] and e["message"] for e in payload["userErrors"])
    assert await _totals(client, h) == before


async def test_article_category_cycle_is_a_user_error(client, h, workspace):
    parent = ok(await client.post("/api/article-categories", headers=h, json={"title": "Parent"}), 201)["data"]
    child = ok(
        await client.post("/api/article-categories", headers=h, json={"title": "Child", "parent_id": parent["id"]}),
        201,
    )["data"]
    query = """mutation($id: ID!, $input: ArticleCategoryInput!) { updateArticleCategory(id: $id, input: $input)
        { articleCategory { id } userErrors { field } } }"""
    _, body = await gql(client, query, {"id": str(parent["id"]), "input": {"parentId": str(child["id"])}},
                        workspace.api_key)  # fmt: skip
    assert body["data"]["updateArticleCategory"] == {"articleCategory": None, "userErrors": [{"field": "parentId"}]}
    got = ok(await client.get(f"/api/article-categories/{parent['id']}", headers=h))["data"]
    assert got["parent_id"] is None
