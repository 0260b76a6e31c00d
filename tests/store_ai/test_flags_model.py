"""The AI flags with the fake OpenAI server as text and image model: content through the model, the keyword
call before the stock search, the model's picture where stock misses, and the credits: charged with the write,
the unspent part refunded when the job ends, everything refunded when it fails, nothing written when short."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from domain.store.ai_ops.repository import AiOpsRepository
from tests.store.conftest import ok
from tests.store_ai.conftest import balance, finished, with_stock_keys
from tests.support.factories import make_workspace
from tests.support.fake_openai import FakeOpenAI


@pytest.fixture
def extra_settings(fake_openai: FakeOpenAI) -> dict[str, Any]:
    return fake_openai.settings(llm_max_retries=1, image_model="gpt-image-1")


def chat(fake: FakeOpenAI) -> list[Any]:
    return [r for r in fake.requests if r.path.endswith("/chat/completions")]


def drawings(fake: FakeOpenAI) -> list[Any]:
    return [r for r in fake.requests if "/images/" in r.path]


async def test_article_content_targets_the_seo_keyword_and_is_billed(client, h, services, pro, fake_openai):
    body = ok(
        await client.post(
            "/api/articles",
            headers=h,
            json={
                "title": "How to load 120 film",
                "generate_ai_content": True,
                "generate_seo_keyword": "medium format film",
            },
        ),
        201,
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["credits"] == 5  # CONTENT_FILL_CHIPS (5,000) at 1,000 chips per credit
    done = await finished(services, job["id"])
    assert await balance(services, pro) == 495
    [request, *_] = chat(fake_openai)
    assert "medium format film" in request.user and "How to load 120 film" in request.user
    assert set(done.result["fields"]) == {
        "subtitle", "link_title", "content", "meta_title", "meta_keywords", "meta_description",
    }  # fmt: skip
    assert done.prompt_tokens > 0
    article = ok(await client.get(f"/api/articles/{body['data']['id']}", headers=h))["data"]
    assert article["content"] and article["generated"]
    tokens = ok(await client.get("/api/data/openai-tokens", headers=h))["data"]
    assert tokens["tokens_used"] >= done.prompt_tokens


async def test_auto_uses_stock_first_and_refunds_the_unspent_model_picture(
    client, h, services, pro, fake_openai, stock
):
    await with_stock_keys(client, h, "pexels")
    body = ok(
        await client.post(
            "/api/articles", headers=h, json={"title": "Rangefinder cameras", "generate_images": ["hero"]}
        ),
        201,
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["credits"] == 51  # worst case: the keyword call (300 chips) and a model picture (50,000)
    done = await finished(services, job["id"])
    assert done.result["images"][0]["source"] == "pexels"
    assert done.result["creditsRefunded"] == 50 and done.credits_charged == 1
    assert await balance(services, pro) == 499
    [keyword] = chat(fake_openai)
    assert keyword.schema_name == "stock_search_term"
    assert stock.requests[0].query["query"]  # the keyword call's term
    assert stock.requests[0].query["orientation"] == "landscape"
    assert drawings(fake_openai) == []


async def test_auto_falls_back_to_the_image_model_on_a_total_miss(client, h, services, pro, fake_openai, stock):
    await with_stock_keys(client, h, "pexels", "unsplash", "pixabay")
    stock.behaviour.update(pexels="miss", unsplash="miss", pixabay="miss")
    body = ok(
        await client.post("/api/categories", headers=h, json={"title": "Light meters", "generate_images": True}), 201
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["credits"] == 101
    done = await finished(services, job["id"])
    assert stock.searched() == ["pexels", "unsplash", "pixabay"] * 2
    assert [i["source"] for i in done.result["images"]] == ["openai", "openai"]
    assert len(drawings(fake_openai)) == 2
    assert done.result["creditsRefunded"] == 0 and await balance(services, pro) == 399
    banner = done.result["images"][0]
    r = await client.get(banner["url"].replace("http://testserver", ""))
    assert Image.open(io.BytesIO(r.content)).size == (1600, 533)


async def test_a_failed_picture_fails_the_job_and_refunds_it(client, h, services, pro, fake_openai, stock):
    fake_openai.always(500)
    body = ok(
        await client.post(
            "/api/articles", headers=h, json={"title": "Darkroom", "generate_images": ["hero"], "image_source": "ai"}
        ),
        201,
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["credits"] == 50
    failed = await finished(services, job["id"], "failed")
    assert failed.error_code == "provider_error"
    assert await balance(services, pro) == 500
    article = ok(await client.get(f"/api/articles/{body['data']['id']}", headers=h))["data"]
    assert article["hero_image_url"] is None


async def test_too_few_credits_write_nothing(client, services, fake_openai):
    poor = await make_workspace(services, name="Poor", plan="pro", credits=4)
    headers = {**poor.headers(), "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"}
    r = await client.post("/api/articles", headers=headers, json={"title": "Costly", "generate_ai_content": True})
    assert r.status_code == 402 and "credits" in r.json()["message"]
    assert ok(await client.get("/api/articles", headers=headers))["meta"]["total"] == 0
    assert await balance(services, poor) == 4
    r = await client.post("/api/categories", headers=headers, json={"title": "Costly", "generate_images": True})
    assert r.status_code == 402
    assert ok(await client.get("/api/categories", headers=headers))["meta"]["total"] == 0


async def test_homepage_content_writes_its_template_texts_but_not_the_customers(client, h, services, pro, fake_openai):
    async with services.unit_of_work() as uow:
        await AiOpsRepository(uow.session).set_text(
            pro.workspace_id, "HOMEPAGE_OFFER_BOX_TITLE", "My own title", "customer"
        )
    home = ok(await client.get("/api/pages?key=homepage", headers=h))["data"][0]
    body = ok(await client.patch(f"/api/pages/{home['id']}", headers=h, json={"generate_ai_content": True}))
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert {"content", "content_above_hero", "hero_subtitle", "offer_box_text"} <= set(done.result["fields"])
    assert "offer_box_title" not in done.result["fields"]
    async with services.unit_of_work() as uow:
        texts = await AiOpsRepository(uow.session).texts(pro.workspace_id)
    assert texts["HOMEPAGE_OFFER_BOX_TITLE"].value == "My own title"
    assert texts["HOMEPAGE_OFFER_BOX_TEXT"].source == "ai" and texts["HOMEPAGE_OFFER_BOX_TEXT"].value
    page = ok(await client.get(f"/api/pages/{home['id']}", headers=h))["data"]
    assert page["content"] and page["meta_description"]
