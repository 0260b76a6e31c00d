"""Every problem of a store content write comes back in one 422, the state rules included: references that
name nothing (``product_category_id``, ``article_categories``, ``parent_id``), a slug or page key another object
holds, an article category moved under its own descendant, a user's email another user has. Nothing is
written; an update may keep its own values."""

from __future__ import annotations

from typing import Any

import httpx

from tests.store.conftest import ok
from tests.support.graphql import gql

LISTS = ("/api/articles", "/api/article-categories", "/api/pages", "/api/users", "/api/brands")
LONG = "x" * 300
TOO_LONG = "The title field must not be greater than 255 characters."
TAKEN = "The slug has already been taken."


async def _state(client: httpx.AsyncClient, h: dict[str, str]) -> list[Any]:
    return [ok(await client.get(path, headers=h))["data"] for path in LISTS]


async def _create(client: httpx.AsyncClient, h: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = ok(await client.post(path, headers=h, json=body), 201)["data"]
    return created


async def _refused(
    client: httpx.AsyncClient, h: dict[str, str], method: str, path: str, body: dict[str, Any]
) -> dict[str, list[str]]:
    before = await _state(client, h)
    r = await client.request(method, path, headers=h, json=body)
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"message", "errors"}
    assert await _state(client, h) == before
    errors: dict[str, list[str]] = r.json()["errors"]
    return errors


async def test_article_create_reports_references_and_a_taken_slug_with_the_rest(client, h):
    await _create(client, h, "/api/articles", {"title": "Guide"})
    body = {
        "title": LONG,
        "slug": "Guide",
        "enabled": "maybe",
        "product_category_id": 999_999,
        "article_categories": [999_998],
    }
    errors = await _refused(client, h, "POST", "/api/articles", body)
    assert errors == {
        "title": [TOO_LONG],
        "slug": [TAKEN],
        "enabled": ["The enabled field must be true or false."],
        "product_category_id": ["The selected product category id is invalid."],
        "article_categories.0": ["The selected article_categories.0 is invalid."],
    }


async def test_article_update_keeps_its_own_slug_and_reports_anothers(client, h):
    mine = await _create(client, h, "/api/articles", {"title": "Mine"})
    await _create(client, h, "/api/articles", {"title": "Theirs"})
    path = f"/api/articles/{mine['id']}"
    errors = await _refused(client, h, "PATCH", path, {"slug": "theirs", "meta_title": LONG})
    assert errors == {
        "slug": [TAKEN],
        "meta_title": ["The meta title field must not be greater than 255 characters."],
    }
    assert ok(await client.patch(path, headers=h, json={"slug": "Mine!"}))["data"]["slug"] == "mine"


async def test_article_category_cycle_slug_and_title_in_one_answer(client, h):
    parent = await _create(client, h, "/api/article-categories", {"title": "Parent"})
    child = await _create(client, h, "/api/article-categories", {"title": "Child", "parent_id": parent["id"]})
    path = f"/api/article-categories/{parent['id']}"
    body = {"title": LONG, "slug": "child", "parent_id": child["id"]}
    errors = await _refused(client, h, "PATCH", path, body)
    assert errors == {
        "title": [TOO_LONG],
        "slug": [TAKEN],
        "parent_id": ["The parent id cannot be the category itself or one of its descendants."],
    }
    body = {"title": LONG, "slug": "parent", "parent_id": 999_999}
    errors = await _refused(client, h, "POST", "/api/article-categories", body)
    assert errors == {"title": [TOO_LONG], "slug": [TAKEN], "parent_id": ["The selected parent id is invalid."]}


async def test_page_key_and_slug_taken_with_the_rest(client, h):
    about = await _create(client, h, "/api/pages", {"title": "About", "key": "about"})
    await _create(client, h, "/api/pages", {"title": "Contact"})
    errors = await _refused(client, h, "POST", "/api/pages", {"title": LONG, "key": "about", "slug": "contact"})
    assert errors == {
        "title": [TOO_LONG],
        "key": ["The key has already been taken."],
        "slug": [TAKEN],
    }
    # Every store has its homepage: that key is taken from the first look at the pages.
    errors = await _refused(client, h, "POST", "/api/pages", {"title": "", "key": "homepage"})
    assert errors == {"title": ["The title field is required."], "key": ["The key has already been taken."]}
    path = f"/api/pages/{about['id']}"
    errors = await _refused(client, h, "PATCH", path, {"key": "homepage", "enabled": "often"})
    assert errors == {
        "key": ["The key has already been taken."],
        "enabled": ["The enabled field must be true or false."],
    }
    ok(await client.patch(path, headers=h, json={"key": "about", "slug": "about"}))


async def test_user_update_reports_a_taken_email_with_the_rest(client, h):
    jane = await _create(client, h, "/api/users", {"email": "jane@example.com"})
    await _create(client, h, "/api/users", {"email": "joe@example.com"})
    path = f"/api/users/{jane['id']}"
    errors = await _refused(client, h, "PATCH", path, {"first_name": LONG, "email": "JOE@example.com"})
    assert errors == {
        "first_name": ["The first name field must not be greater than 255 characters."],
        "email": ["The email has already been taken."],
    }
    updated = ok(await client.patch(path, headers=h, json={"email": "Jane@Example.com", "first_name": "Jane"}))
    assert (updated["data"]["email"], updated["data"]["firstName"]) == ("jane@example.com", "Jane")


async def test_graphql_creates_report_taken_values_with_the_other_user_errors(client, h, workspace):
    await _create(client, h, "/api/brands", {"title": "Acme"})
    before = await _state(client, h)
    query = "mutation($input: BrandInput!) { createBrand(input: $input) { brand { id } userErrors { field code } } }"
    _, body = await gql(client, query, {"input": {"title": LONG, "slug": "acme"}}, workspace.api_key)
    payload = body["data"]["createBrand"]
    assert payload["brand"] is None
    assert [e["field"] for e in payload["userErrors"]] == ["title", "slug"]
    assert await _state(client, h) == before


async def test_graphql_updates_report_state_rules_with_the_rest_and_keep_their_own_values(client, h, workspace):
    root = await _create(client, h, "/api/categories", {"title": "Root"})
    child = await _create(client, h, "/api/categories", {"title": "Child", "parent_id": root["id"]})
    query = (
        "mutation($id: ID!, $input: CategoryInput!) { updateCategory(id: $id, input: $input)"
        " { category { slug } userErrors { field code } } }"
    )
    values = {"title": LONG, "slug": "child", "parentId": str(child["id"])}
    _, body = await gql(client, query, {"id": str(root["id"]), "input": values}, workspace.api_key)
    payload = body["data"]["updateCategory"]
    assert payload["category"] is None
    assert [e["field"] for e in payload["userErrors"]] == ["title", "slug", "parentId"]
    assert {e["code"] for e in payload["userErrors"]} == {"CATEGORY_CYCLE"}  # the rule's own code, as before
    _, body = await gql(client, query, {"id": str(root["id"]), "input": {"slug": "root"}}, workspace.api_key)
    assert body["data"]["updateCategory"] == {"category": {"slug": "root"}, "userErrors": []}
