"""The GraphQL twin: mutations queue the same jobs (same rules, problems as userErrors, nothing queued), the
job's result is the REST answer; stock texts can be set and reset; the generated logo can be read back."""

from __future__ import annotations

import pytest

from tests.catalog import helpers
from tests.store_ops.conftest import STARTING_CREDITS, balance, job_count
from tests.support.graphql import gql
from tests.support.jobs import wait_for

CLEAN = """mutation($niche: String, $keepTop: Int) { cleanBrands(niche: $niche, keepTop: $keepTop) {
  job { jobId kind status } creditsCharged userErrors { field message code } } }"""
LOGO = """mutation($niche: String!) { generateLogo(niche: $niche) {
  job { jobId } creditsCharged userErrors { field message } } }"""
ICON = """mutation($niche: String!) { pickLogoIcon(niche: $niche) { job { jobId } userErrors { field message } } }"""
JOB = """query($id: ID!) { job(id: $id) { status result error { code message } } }"""
TEXTS = "{ storeTexts { key value default customised source } }"
SET_TEXT = """mutation($key: String!, $value: String!) { setStoreText(key: $key, value: $value) {
  text { key value customised source } userErrors { field message } } }"""
RESET_TEXT = """mutation($key: String!) { resetStoreText(key: $key) { text { value customised source } } }"""
STORE_LOGO = "{ storeLogo { url niche style width height } }"
TOPICS = """mutation($count: Int) { generateArticleTopics(count: $count) {
  job { jobId } userErrors { field message code } } }"""


async def test_clean_brands_through_graphql(client, services, workspace):
    a = await helpers.brand(services, workspace, title="Acme")
    b = await helpers.brand(services, workspace, title="ACME Inc")
    await helpers.product(services, workspace, title="Anvil", brand_id=a.id)
    await helpers.product(services, workspace, title="Magnet", brand_id=b.id)
    _, body = await gql(client, CLEAN, {"keepTop": 5}, token=workspace.api_key)
    payload = body["data"]["cleanBrands"]
    assert payload["userErrors"] == [] and payload["creditsCharged"] == 0
    assert payload["job"]["kind"] == "store.brands.clean"
    job = await wait_for(services, payload["job"]["jobId"].removeprefix("job_"), ["completed"])
    assert job.result is not None and job.result["merged"] == 1 and job.result["enabled"] == 1


async def test_bad_input_is_user_errors_and_queues_nothing(client, services, workspace):
    _, body = await gql(client, CLEAN, {"keepTop": 99}, token=workspace.api_key)
    payload = body["data"]["cleanBrands"]
    assert payload["job"] is None
    assert [e["field"] for e in payload["userErrors"]] == ["keepTop"]
    _, body = await gql(client, LOGO, {"niche": "x" * 256}, token=workspace.api_key)
    assert [e["field"] for e in body["data"]["generateLogo"]["userErrors"]] == ["niche"]
    _, body = await gql(client, TOPICS, {"count": 2}, token=workspace.api_key)  # offline
    assert body["data"]["generateArticleTopics"]["userErrors"][0]["code"] == "PROVIDER_REQUIRED"
    assert await job_count(services, workspace) == 0
    assert await balance(services, workspace) == STARTING_CREDITS


async def test_generate_logo_then_read_it_back(client, services, workspace):
    _, body = await gql(client, LOGO, {"niche": "cycling gear"}, token=workspace.api_key)
    job_id = body["data"]["generateLogo"]["job"]["jobId"]
    await wait_for(services, job_id.removeprefix("job_"), ["completed"])
    _, body = await gql(client, JOB, {"id": job_id}, token=workspace.api_key)
    assert body["data"]["job"]["result"]["status"] == "generated"
    _, body = await gql(client, STORE_LOGO, token=workspace.api_key)
    logo = body["data"]["storeLogo"]
    assert logo["niche"] == "cycling gear" and logo["height"] == 240 and logo["style"]["text_color"] == "#0d47a1"
    r = await client.get(logo["url"].removeprefix("http://testserver"))
    assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_stock_texts_set_and_reset(client, services, workspace):
    _, body = await gql(client, TEXTS, token=workspace.api_key)
    rows = body["data"]["storeTexts"]
    assert len(rows) == 12 and not any(r["customised"] for r in rows)
    _, body = await gql(client, SET_TEXT, {"key": "ABOUT_PAGE_INTRO", "value": "Ours."}, token=workspace.api_key)
    assert body["data"]["setStoreText"]["text"] == {
        "key": "ABOUT_PAGE_INTRO",
        "value": "Ours.",
        "customised": True,
        "source": "customer",
    }
    _, body = await gql(client, SET_TEXT, {"key": "NOPE", "value": "x"}, token=workspace.api_key)
    assert body["data"]["setStoreText"]["userErrors"][0]["field"] == "key"
    _, body = await gql(client, SET_TEXT, {"key": "NEWSLETTER_TITLE", "value": "y" * 81}, token=workspace.api_key)
    assert body["data"]["setStoreText"]["userErrors"][0]["field"] == "value"
    _, body = await gql(client, RESET_TEXT, {"key": "ABOUT_PAGE_INTRO"}, token=workspace.api_key)
    assert body["data"]["resetStoreText"]["text"]["customised"] is False


@pytest.mark.provider("openai")
async def test_invalid_response_fails_the_job_with_its_code(client, services, workspace, fake_openai):
    fake_openai.script({"icon": "not-an-icon"})
    _, body = await gql(client, ICON, {"niche": "tea"}, token=workspace.api_key)
    job_id = body["data"]["pickLogoIcon"]["job"]["jobId"]
    await wait_for(services, job_id.removeprefix("job_"), ["failed"])
    _, body = await gql(client, JOB, {"id": job_id}, token=workspace.api_key)
    assert body["data"]["job"]["error"]["code"] == "invalid_response"
    assert await balance(services, workspace) == STARTING_CREDITS


FILL = """mutation($id: Int!) { fillArticleEmptyImages(articleId: $id) { filled userErrors { field message } } }"""


async def test_fill_article_empty_images(client, workspace):
    headers = {"Authorization": f"Bearer {workspace.api_key}"}
    r = await client.post(
        "/api/articles",
        json={"title": "Film care", "hero_image_url": "https://cdn.example.com/hero.jpg"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    article_id = r.json()["data"]["id"]
    _, body = await gql(client, FILL, {"id": article_id}, token=workspace.api_key)
    assert body["data"]["fillArticleEmptyImages"]["filled"] == ["listingImage", "socialImage"]
    _, body = await gql(client, FILL, {"id": article_id}, token=workspace.api_key)
    assert body["data"]["fillArticleEmptyImages"]["filled"] == []


async def test_a_job_slower_than_the_wait_is_answered_202(client, services, workspace, monkeypatch):
    from resolvers.rest.store import ai_ops

    monkeypatch.setattr(ai_ops, "WAIT_SECONDS", 0.0)
    r = await client.post(
        "/api/store/generate-logo", json={"niche": "tea"}, headers={"Authorization": f"Bearer {workspace.api_key}"}
    )
    assert r.status_code == 202, r.text
    data = r.json()["data"]
    assert data["job_id"] == r.headers["X-Job-Id"] and data["status"] in ("queued", "processing")
    job = await wait_for(services, data["job_id"].removeprefix("job_"), ["completed"])
    assert job.result is not None and job.result["status"] == "generated"
