"""The GraphQL twin: articles, article categories, pages, store users and settings."""

from __future__ import annotations

from schema.relay import to_global_id
from tests.store.conftest import ok
from tests.support.graphql import gql
from tests.support.statements import counting

ARTICLES = """
query($first: Int!, $after: String, $filter: ArticleFilter, $sort: ArticleSort) {
  articles(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor
      node { id articleId title slug enabled generated categories { id title articlesCount parent { title } } }
    }
  }
}
"""

TITLE_ASC = {"field": "TITLE", "direction": "ASC"}

CREATE_ARTICLE = """
mutation($input: ArticleInput!) {
  createArticle(input: $input) {
    article { id articleId title slug categories { title } }
    userErrors { field code message }
  }
}
"""


async def make_articles(client, h, n, category_ids):
    for i in range(n):
        ok(
            await client.post(
                "/api/articles", headers=h, json={"title": f"Article {i:02d}", "article_categories": category_ids}
            ),
            201,
        )


async def test_articles_connection_filters_sorting_and_loaders(client, h, workspace, services):
    parent = ok(await client.post("/api/article-categories", headers=h, json={"title": "Parent"}), 201)["data"]
    cat = ok(
        await client.post("/api/article-categories", headers=h, json={"title": "Tips", "parent_id": parent["id"]}),
        201,
    )["data"]
    await make_articles(client, h, 20, [cat["id"], parent["id"]])
    ok(await client.post("/api/articles", headers=h, json={"title": "Loose", "enabled": False}), 201)

    counts = []
    for first in (5, 20):
        with counting(services) as statements:
            status, body = await gql(client, ARTICLES, {"first": first, "sort": TITLE_ASC}, workspace.api_key)
        assert status == 200 and "errors" not in body, body
        counts.append(len(statements))
    # The same handful of statements for a page of 5 and of 20: the relations come through loaders.
    assert counts[0] == counts[1] <= 8, counts
    conn = body["data"]["articles"]
    assert conn["totalCount"] == 21 and len(conn["edges"]) == 20 and conn["pageInfo"]["hasNextPage"] is True
    first_node = conn["edges"][0]["node"]
    assert first_node["title"] == "Article 00" and first_node["generated"] is False
    assert {c["title"] for c in first_node["categories"]} == {"Tips", "Parent"}
    tips = next(c for c in first_node["categories"] if c["title"] == "Tips")
    assert tips["articlesCount"] == 20 and tips["parent"] == {"title": "Parent"}

    _, body = await gql(
        client,
        ARTICLES,
        {"first": 5, "after": conn["pageInfo"]["endCursor"], "sort": TITLE_ASC},
        workspace.api_key,
    )
    page2 = body["data"]["articles"]
    assert [e["node"]["title"] for e in page2["edges"]] == ["Loose"]
    assert page2["pageInfo"] == {**page2["pageInfo"], "hasNextPage": False, "hasPreviousPage": True}

    _, body = await gql(client, ARTICLES, {"first": 50, "filter": {"enabled": False}}, workspace.api_key)
    assert [e["node"]["title"] for e in body["data"]["articles"]["edges"]] == ["Loose"]
    cat_gid = to_global_id("ArticleCategory", cat["id"])
    _, body = await gql(
        client,
        ARTICLES,
        {"first": 50, "filter": {"articleCategoryId": cat_gid, "search": "article 1"}},
        workspace.api_key,
    )
    assert body["data"]["articles"]["totalCount"] == 10

    _, body = await gql(client, ARTICLES, {"first": 101}, workspace.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_article_mutations_and_user_errors(client, workspace):
    token = workspace.api_key
    _, body = await gql(client, CREATE_ARTICLE, {"input": {"title": "Hello GraphQL"}}, token)
    created = body["data"]["createArticle"]
    assert created["userErrors"] == [] and created["article"]["slug"] == "hello-graphql"
    article_id = created["article"]["id"]

    _, body = await gql(client, CREATE_ARTICLE, {"input": {"title": "x" * 256}}, token)
    assert body["data"]["createArticle"]["article"] is None
    assert body["data"]["createArticle"]["userErrors"][0]["field"] == "title"

    cat_q = """mutation($input: ArticleCategoryInput!) { createArticleCategory(input: $input) {
        articleCategory { id title } userErrors { field message } } }"""
    _, body = await gql(client, cat_q, {"input": {"title": "Cat"}}, token)
    cat_id = body["data"]["createArticleCategory"]["articleCategory"]["id"]
    _, body = await gql(
        client, cat_q, {"input": {"title": "Child", "parentId": to_global_id("ArticleCategory", 999999)}}, token
    )
    assert body["data"]["createArticleCategory"]["userErrors"][0]["field"] == "parentId"

    update = """mutation($id: ID!, $input: ArticleInput!) { updateArticle(id: $id, input: $input) {
        article { title subtitle categories { id } } userErrors { field message } } }"""
    _, body = await gql(
        client, update, {"id": article_id, "input": {"subtitle": "Sub", "articleCategoryIds": [cat_id]}}, token
    )
    assert body["data"]["updateArticle"]["article"] == {
        "title": "Hello GraphQL",
        "subtitle": "Sub",
        "categories": [{"id": cat_id}],
    }

    delete = "mutation($id: ID!) { deleteArticle(id: $id) { deletedId userErrors { code } } }"
    _, body = await gql(client, delete, {"id": article_id}, token)
    assert body["data"]["deleteArticle"] == {"deletedId": article_id, "userErrors": []}
    _, body = await gql(client, delete, {"id": article_id}, token)
    assert body["data"]["deleteArticle"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_pages_users_and_settings(client, workspace):
    token = workspace.api_key
    _, body = await gql(
        client,
        """{ pages(first: 10, filter: {key: "homepage"}) { totalCount edges { node { key slug title } } } }""",
        token=token,
    )
    assert body["data"]["pages"] == {
        "totalCount": 1,
        "edges": [{"node": {"key": "homepage", "slug": "home", "title": "Home"}}],
    }
    _, body = await gql(
        client,
        """mutation { createPage(input: {title: "About", key: "about"}) {
            page { id pageId key } userErrors { field } } }""",
        token=token,
    )
    page = body["data"]["createPage"]["page"]
    _, body = await gql(
        client,
        """mutation($id: ID!) { updatePage(id: $id, input: {enabled: false}) { page { enabled } } }""",
        {"id": page["id"]},
        token,
    )
    assert body["data"]["updatePage"]["page"] == {"enabled": False}
    _, body = await gql(client, "query($id: ID!) { page(id: $id) { title } }", {"id": str(page["pageId"])}, token)
    assert body["data"]["page"] == {"title": "About"}  # the REST integer id works too
    _, body = await gql(client, "mutation($id: ID!) { deletePage(id: $id) { deletedId } }", {"id": page["id"]}, token)
    assert body["data"]["deletePage"]["deletedId"] == page["id"]

    _, body = await gql(
        client,
        """mutation { createStoreUser(input: {email: "gq@example.com", firstName: "G", roles: ["staff"]}) {
            created user { id email firstName roles newsletter } userErrors { field } } }""",
        token=token,
    )
    created = body["data"]["createStoreUser"]
    assert (
        created["created"] is True and created["user"]["roles"] == ["staff"] and created["user"]["newsletter"] is True
    )
    _, body = await gql(
        client,
        """mutation($id: ID!) { updateStoreUser(id: $id, input: {lastName: "Q"}) { user { lastName } } }""",
        {"id": created["user"]["id"]},
        token,
    )
    assert body["data"]["updateStoreUser"]["user"] == {"lastName": "Q"}
    _, body = await gql(client, "{ storeUsers(first: 10) { totalCount edges { node { email } } } }", token=token)
    assert body["data"]["storeUsers"]["totalCount"] == 2

    _, body = await gql(
        client,
        """mutation { updateStoreSettings(group: "store", values: {niche: "tech"}) {
            settings { group values } userErrors { field } } }""",
        token=token,
    )
    assert body["data"]["updateStoreSettings"]["settings"]["values"]["niche"] == "tech"
    _, body = await gql(
        client,
        """mutation { updateStoreSettings(values: {store_live: "sometimes"}) {
            settings { values } userErrors { field } } }""",
        token=token,
    )
    assert body["data"]["updateStoreSettings"] == {"settings": None, "userErrors": [{"field": "store_live"}]}
    _, body = await gql(
        client, '{ storeSettings { values } s: storeSettings(group: "offers") { values } }', token=token
    )
    assert body["data"]["storeSettings"]["values"]["store_niche"] == "tech"
    assert body["data"]["s"]["values"]["amazon_enabled"] is True
    _, body = await gql(client, '{ storeSettings(group: "nope") { values } }', token=token)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphql_tenant_isolation(client, h, workspace, other_workspace):
    article = ok(await client.post("/api/articles", headers=h, json={"title": "Mine"}), 201)["data"]
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "Mine"}), 201)["data"]
    page = ok(await client.post("/api/pages", headers=h, json={"title": "Mine"}), 201)["data"]
    theirs = other_workspace.api_key
    for query, gid in [
        ("query($id: ID!) { article(id: $id) { title } }", to_global_id("Article", article["id"])),
        ("query($id: ID!) { articleCategory(id: $id) { title } }", to_global_id("ArticleCategory", cat["id"])),
        ("query($id: ID!) { page(id: $id) { title } }", to_global_id("Page", page["id"])),
        ("query($id: ID!) { storeUser(id: $id) { email } }", to_global_id("StoreUser", workspace.owner_user_id)),
    ]:
        _, body = await gql(client, query, {"id": gid}, theirs)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND", query
    article_gid = to_global_id("Article", article["id"])
    cat_gid = to_global_id("ArticleCategory", cat["id"])
    page_gid = to_global_id("Page", page["id"])
    owner_gid = to_global_id("StoreUser", workspace.owner_user_id)
    for field, input_arg, gid in [
        ("updateArticle", '{title: "x"}', article_gid),
        ("deleteArticle", None, article_gid),
        ("updateArticleCategory", '{title: "x"}', cat_gid),
        ("deleteArticleCategory", None, cat_gid),
        ("updatePage", '{title: "x"}', page_gid),
        ("deletePage", None, page_gid),
        ("updateStoreUser", '{firstName: "x"}', owner_gid),
    ]:
        args = f"id: $id, input: {input_arg}" if input_arg else "id: $id"
        mutation = f"mutation($id: ID!) {{ {field}({args}) {{ userErrors {{ code }} }} }}"
        _, body = await gql(client, mutation, {"id": gid}, theirs)
        payload = next(iter(body["data"].values()))
        assert payload["userErrors"] == [{"code": "NOT_FOUND"}], mutation
    _, body = await gql(
        client, "{ articles(first: 10) { totalCount } articleCategories(first: 10) { totalCount } }", token=theirs
    )
    assert body["data"] == {"articles": {"totalCount": 0}, "articleCategories": {"totalCount": 0}}
    # Everything is still there for its owner.
    assert ok(await client.get(f"/api/articles/{article['id']}", headers=h))["data"]["title"] == "Mine"
    assert ok(await client.get(f"/api/pages/{page['id']}", headers=h))["data"]["title"] == "Mine"


async def test_graphql_permissions(client, services, workspace):
    from tests.store.conftest import make_key

    key = await make_key(services, workspace, ["read"])
    _, body = await gql(client, CREATE_ARTICLE, {"input": {"title": "nope"}}, key)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = await gql(client, "{ articles(first: 1) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_node_resolves_store_types_within_the_workspace(client, h, workspace, other_workspace):
    article = ok(await client.post("/api/articles", headers=h, json={"title": "Node"}), 201)["data"]
    cat = ok(await client.post("/api/article-categories", headers=h, json={"title": "Node cat"}), 201)["data"]
    page = ok(await client.post("/api/pages", headers=h, json={"title": "Node page"}), 201)["data"]
    query = """query($id: ID!) { node(id: $id) { id __typename
        ... on Article { title } ... on ArticleCategory { title }
        ... on Page { title } ... on StoreUser { email } } }"""
    cases = [
        (to_global_id("Article", article["id"]), "Article"),
        (to_global_id("ArticleCategory", cat["id"]), "ArticleCategory"),
        (to_global_id("Page", page["id"]), "Page"),
        (to_global_id("StoreUser", workspace.owner_user_id), "StoreUser"),
    ]
    for gid, typename in cases:
        _, body = await gql(client, query, {"id": gid}, workspace.api_key)
        assert body["data"]["node"]["__typename"] == typename and body["data"]["node"]["id"] == gid, body
        _, body = await gql(client, query, {"id": gid}, other_workspace.api_key)
        assert body["data"]["node"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
