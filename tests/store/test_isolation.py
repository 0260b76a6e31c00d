"""Tenant isolation for the store entities that the other isolation tests reach only through REST or only by
id: page and user connections, settings (REST groups and GraphQL), filters and relation ids in inputs."""

from __future__ import annotations

from schema.relay import to_global_id
from tests.store.conftest import ok
from tests.support.graphql import gql


async def test_connections_and_settings_are_per_workspace_in_graphql(client, h, oh, workspace, other_workspace):
    ok(await client.post("/api/pages", headers=h, json={"title": "Secret", "key": "secret"}), 201)
    ok(await client.post("/api/users", headers=h, json={"email": "mine@example.com"}), 201)
    ok(await client.patch("/api/settings/store", headers=h, json={"niche": "vintage cameras"}))

    theirs = other_workspace.api_key
    _, body = await gql(client, "{ pages(first: 100) { totalCount edges { node { key title } } } }", token=theirs)
    assert body["data"]["pages"]["totalCount"] == 1  # only their own auto-created homepage
    assert [e["node"]["key"] for e in body["data"]["pages"]["edges"]] == ["homepage"]
    _, body = await gql(client, '{ pages(first: 10, filter: {key: "secret"}) { totalCount } }', token=theirs)
    assert body["data"]["pages"]["totalCount"] == 0
    _, body = await gql(client, "{ storeUsers(first: 100) { totalCount edges { node { email } } } }", token=theirs)
    emails = {e["node"]["email"] for e in body["data"]["storeUsers"]["edges"]}
    assert "mine@example.com" not in emails and body["data"]["storeUsers"]["totalCount"] == len(emails) == 1
    _, body = await gql(client, '{ storeSettings(group: "store") { values } }', token=theirs)
    assert body["data"]["storeSettings"]["values"]["niche"] is None

    # Writing their settings leaves ours alone, through GraphQL and REST.
    _, body = await gql(
        client,
        'mutation { updateStoreSettings(group: "store", values: {niche: "cycling"}) { userErrors { field } } }',
        token=theirs,
    )
    assert body["data"]["updateStoreSettings"]["userErrors"] == []
    assert ok(await client.get("/api/settings/store", headers=h))["data"]["niche"] == "vintage cameras"
    assert ok(await client.get("/api/settings/store", headers=oh))["data"]["niche"] == "cycling"
    _, body = await gql(client, '{ storeSettings(group: "store") { values } }', token=workspace.api_key)
    assert body["data"]["storeSettings"]["values"]["niche"] == "vintage cameras"


async def test_another_stores_ids_in_graphql_inputs_and_filters(client, h, oh, other_workspace):
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "Mine"}), 201)["data"]
    ok(await client.post("/api/articles", headers=h, json={"title": "Mine", "article_categories": [cat["id"]]}), 201)
    theirs = other_workspace.api_key
    cat_gid = to_global_id("ArticleCategory", cat["id"])

    for mutation, created, values in (
        ("createArticle", "article", '{title: "x", articleCategoryIds: [$c]}'),
        ("createArticleCategory", "articleCategory", '{title: "x", parentId: $c}'),
    ):
        query = f"mutation($c: ID!) {{ {mutation}(input: {values}) {{ {created} {{ id }} userErrors {{ field }} }} }}"
        _, body = await gql(client, query, {"c": cat_gid}, token=theirs)
        assert body["data"][mutation][created] is None
        assert body["data"][mutation]["userErrors"], body
    # Nothing was written on their side, and filtering by our category finds nothing there.
    assert ok(await client.get("/api/articles", headers=oh))["meta"]["total"] == 0
    assert ok(await client.get("/api/article-categories", headers=oh))["meta"]["total"] == 0
    assert ok(await client.get(f"/api/articles?article_category_id={cat['id']}", headers=oh))["data"] == []
    assert ok(await client.get(f"/api/article-categories?parent_id={cat['id']}", headers=oh))["data"] == []
    query = "query($c: ID!) { articles(first: 10, filter: {articleCategoryId: $c}) { totalCount } }"
    _, body = await gql(client, query, {"c": cat_gid}, token=theirs)
    assert body["data"]["articles"]["totalCount"] == 0
    _, body = await gql(client, query, {"c": cat_gid}, token=h["Authorization"].removeprefix("Bearer "))
    assert body["data"]["articles"]["totalCount"] == 1
