"""The product entity of ``store.ai_content`` and ``store.images`` with the fake OpenAI server as text and image
model: the content is billed as a content fill, the highlights come back as a list, and a product's own photo is
rendered on white without a paid model picture (its charge refunded)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.store.ai_flags import AiEnv, AiRequest, start_ai_jobs
from tests.store.conftest import ok
from tests.store_ai.conftest import balance, finished
from tests.support.fake_openai import FakeOpenAI


@pytest.fixture
def extra_settings(fake_openai: FakeOpenAI) -> dict[str, Any]:
    return fake_openai.settings(llm_max_retries=1, image_model="gpt-image-1")


async def _start(services: Any, pro: Any, product_id: int, request: AiRequest) -> Any:
    env = AiEnv(providers=services.providers, public_base="http://testserver", plans=services.plans)
    async with services.unit_of_work() as uow:
        [work] = await start_ai_jobs(
            uow, pro.principal, entity="product", entity_id=product_id, request=request, env=env
        )
    return work


async def test_product_content_through_the_model_is_billed(client, h, services, pro, fake_openai):
    body = {"title": "Nikon FM2 film camera", "highlights": ["Titanium shutter"]}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    work = await _start(services, pro, product["id"], AiRequest(generate_ai_content=True))
    assert work.credits == 5  # CONTENT_FILL_CHIPS at 1,000 chips a credit
    done = await finished(services, work.job.id)
    assert await balance(services, pro) == 495
    assert "highlights" not in done.result["fields"] and "meta_title" in done.result["fields"]
    chats = [r for r in fake_openai.requests if r.path.endswith("/chat/completions")]
    assert chats and "Nikon FM2 film camera" in chats[0].user and "Titanium shutter" in chats[0].user
    row = ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]
    assert row["highlights"] == ["Titanium shutter"] and row["generated"]
    for name in done.result["fields"]:
        assert row[name], name
    assert done.prompt_tokens > 0


async def test_a_product_photo_is_rendered_and_the_model_charge_refunded(client, h, services, pro, stock, fake_openai):
    body = {"title": "Yashica Mat", "main_image_url": f"{stock.url}/files/pexels.jpg"}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    work = await _start(services, pro, product["id"], AiRequest(generate_images=True, image_source="ai"))
    assert work.credits == 50  # charged for a model picture at submit ...
    done = await finished(services, work.job.id)
    assert done.result["images"][0]["source"] == "rendered"
    assert done.result["creditsRefunded"] == 50  # ... and given back: the product's own photo was used
    assert [r for r in fake_openai.requests if "/images/" in r.path] == []
    assert await balance(services, pro) == 500
