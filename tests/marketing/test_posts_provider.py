"""The posts job with the fake OpenAI server: the words from one structured call, the product's photos sent to a
vision-capable chat call, and the image model drawing the backdrops."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

from domain.marketing.models import MarketingPost
from shopwright.settings import Settings
from tests.marketing.helpers import bottle_png, image_of, make_product, run_posts, submit, written
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.jobs import load_job, wait_for


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], fake_openai: FakeOpenAI) -> Settings:
    values: dict[str, Any] = fake_openai.settings(llm_max_retries=2, image_model="gpt-image-1")
    return settings_factory(**values)


def _chat(fake: FakeOpenAI) -> list[Any]:
    return [r for r in fake.requests if r.path.endswith("/chat/completions")]


def _images(fake: FakeOpenAI) -> list[Any]:
    return [r for r in fake.requests if "/images/" in r.path]


async def test_the_words_come_from_one_structured_call(client, services, workspace, fake_openai):
    product_id = await make_product(services, workspace)
    result = await run_posts(
        client, services, workspace, product_id, tone="playful", adType="launch", targetAudience="runners"
    )
    [request] = _chat(fake_openai)
    assert request.schema_name == "marketing_posts"
    assert request.schema["properties"]["posts"]["minItems"] == 3
    for expected in ("Rose Glow Face Serum 30ml", "Lumi", "$24.99", "playful", "launch", "runners", "4.7/5"):
        assert expected in request.user, expected
    posts = result["posts"]
    assert result["writer"] == "gpt-4o-mini" and len({p["caption"] for p in posts}) == 3
    assert [p["angle"] for p in posts] == ["benefit", "social_proof", "urgency"]
    assert all(t.startswith("#") for p in posts for t in p["hashtags"])
    assert all(p["overlays"]["priceBadge"] == "$24.99" for p in posts)  # the price is the catalog's, not the model's
    job = await load_job(services, (await _job_id(services, result)))
    assert job.prompt_tokens > 0 and job.completion_tokens > 0
    assert not _images(fake_openai)  # no images asked for


async def _job_id(services, result) -> str:
    async with services.read() as session:
        post = await session.get(MarketingPost, result["posts"][0]["id"])
        assert post is not None and post.job_id is not None
        return str(post.job_id)


async def test_a_post_the_model_repeats_is_written_offline(client, services, workspace, fake_openai):
    product_id = await make_product(services, workspace)
    same = {"angle": "benefit", "caption": "Same words.", "hashtags": ["#a"], "cta": "Buy", "headline": "Same"}
    fake_openai.script({"posts": [same, same, same]})
    posts = (await run_posts(client, services, workspace, product_id))["posts"]
    assert posts[0]["caption"] == "Same words."
    assert len({p["caption"] for p in posts}) == 3  # the repeats were replaced


async def test_use_product_images_sends_the_photos_to_a_vision_call(client, services, workspace, fake_openai):
    product_id = await make_product(services, workspace, photo=bottle_png((30, 90, 200)))
    look = {
        "description": "A frosted cobalt glass bottle with a silver cap.",
        "palette": ["#1e5ac8", "#c0c0c0"],
        "sellingPoints": ["Frosted glass dropper"],
    }
    fake_openai.script(look)
    result = await run_posts(client, services, workspace, product_id, useProductImages=True)
    vision, text = _chat(fake_openai)
    assert vision.schema_name == "product_look" and len(vision.images) == 1
    assert vision.images[0].startswith("data:image/jpeg;base64,")
    photo = Image.open(io.BytesIO(base64.b64decode(vision.images[0].split(",", 1)[1])))
    assert photo.size == (400, 400)
    assert "Rose Glow Face Serum" in vision.user
    # What the model saw goes into the posts' prompt.
    assert "frosted cobalt glass bottle" in text.user and "Frosted glass dropper" in text.user
    assert result["look"]["source"] == "gpt-4o-mini" and result["look"]["palette"] == ["#1e5ac8", "#c0c0c0"]
    assert result["look"]["colours"] == ["blue", "silver"]


async def test_the_image_model_draws_each_posts_backdrop(client, services, workspace, fake_openai):
    product_id = await make_product(services, workspace)
    result = await run_posts(
        client, services, workspace, product_id, generateImages=True, postsCount=2, imageType="story", mood="luxury"
    )
    requests = _images(fake_openai)
    assert [r.path for r in requests] == ["/v1/images/generations"] * 2
    assert all(r.body["size"] == "1024x1536" and r.model == "gpt-image-1" for r in requests)
    assert "luxurious" in requests[0].body["prompt"] and "Rose Glow Face Serum" in requests[0].body["prompt"]
    assert result["renderer"] == "gpt-image-1"
    image = await image_of(services, workspace, result["posts"][0]["imageMediaId"])
    assert image.size == (1080, 1920)
    # The product is composed over the model's backdrop: its red is in the picture.
    a = np.asarray(image, dtype=np.int16)
    assert int(((a[..., 0] > 150) & (a[..., 1] < 90) & (a[..., 2] < 90)).sum()) > 5000


async def test_image_prompt_is_sent_to_the_image_model_as_it_is(client, services, workspace, fake_openai):
    product_id = await make_product(services, workspace)
    prompt = "A marble bathroom shelf at dawn, eucalyptus leaves, soft steam"
    result = await run_posts(
        client, services, workspace, product_id, generateImages=True, postsCount=1, imagePrompt=prompt, mood="luxury"
    )
    [request] = _images(fake_openai)
    assert request.body["prompt"].startswith(prompt) and "luxurious" not in request.body["prompt"]
    assert result["promptApplied"] == []  # offline reading of the prompt is not used with a model


async def test_an_image_model_that_keeps_failing_fails_the_job_and_writes_no_post(
    client, services, workspace, fake_openai
):
    product_id = await make_product(services, workspace)
    fake_openai.handler = lambda r: Reply(status=500) if "/images/" in r.path else None
    response = await submit(client, workspace, product_id, generateImages=True, postsCount=1)
    job = await wait_for(services, response.json()["jobId"], ["failed"], timeout=60)
    assert job.error_code == "provider_error" and "kept failing" in (job.error_message or "")
    assert (await written(services, workspace))["posts"] == 0
