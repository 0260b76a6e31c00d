"""The GraphQL twin: the ``ai`` argument of the store writes, its jobs in ``aiJobs``, its problems as
``userErrors`` with nothing written."""

from __future__ import annotations

from tests.store_ai.conftest import finished
from tests.support.graphql import gql

CREATE_ARTICLE = """
mutation($input: ArticleInput!, $ai: StoreAiInput) {
  createArticle(input: $input, ai: $ai) {
    article { id articleId title subtitle }
    aiJobs { jobId kind status }
    userErrors { field code message }
  }
}
"""
UPDATE_CATEGORY = """
mutation($id: ID!, $input: CategoryInput!, $ai: StoreAiInput) {
  updateCategory(id: $id, input: $input, ai: $ai) {
    category { id title }
    aiJobs { jobId kind }
    userErrors { field message }
  }
}
"""
CREATE_CATEGORY = """
mutation($input: CategoryInput!, $ai: StoreAiInput) {
  createCategory(input: $input, ai: $ai) { category { id title } aiJobs { jobId kind } userErrors { field } }
}
"""


async def test_create_article_with_ai_starts_both_jobs(client, pro, services):
    ai = {"generateAiContent": True, "generateImages": True, "imageSlots": ["hero"], "imageSource": "ai"}
    _, body = await gql(
        client, CREATE_ARTICLE, {"input": {"title": "Pinhole cameras", "subtitle": "Mine"}, "ai": ai}, pro.api_key
    )
    created = body["data"]["createArticle"]
    assert created["userErrors"] == []
    assert [j["kind"] for j in created["aiJobs"]] == ["store.ai_content", "store.images"]
    content = await finished(services, created["aiJobs"][0]["jobId"])
    assert "subtitle" not in content.result["fields"]  # set in the same input: kept
    images = await finished(services, created["aiJobs"][1]["jobId"])
    assert [i["slot"] for i in images.result["images"]] == ["hero"]


async def test_bad_ai_input_is_a_user_error_and_writes_nothing(client, pro):
    _, body = await gql(
        client, CREATE_CATEGORY, {"input": {"title": "Lenses"}, "ai": {"imageSource": "paint"}}, pro.api_key
    )
    created = body["data"]["createCategory"]
    assert created["category"] is None and created["userErrors"][0]["field"] == "imageSource"
    _, body = await gql(client, "{ categories { totalCount } }", {}, pro.api_key)
    assert body["data"]["categories"]["totalCount"] == 0


async def test_update_category_with_images_and_without_ai(client, pro, services):
    _, body = await gql(client, CREATE_CATEGORY, {"input": {"title": "Lenses"}}, pro.api_key)
    assert body["data"]["createCategory"]["aiJobs"] == []
    category_id = body["data"]["createCategory"]["category"]["id"]
    _, body = await gql(
        client, UPDATE_CATEGORY, {"id": category_id, "input": {}, "ai": {"generateImages": True}}, pro.api_key
    )
    [job] = body["data"]["updateCategory"]["aiJobs"]
    done = await finished(services, job["jobId"])
    assert {i["slot"] for i in done.result["images"]} == {"banner", "listing"}
