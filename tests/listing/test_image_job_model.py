"""The ``listing.image`` job with an image model: the fake OpenAI server's image endpoints as the ``openai`` entry
(``gpt-image-1``), or as the ``gemini`` entry (its base URL pointed at the same server)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from domain.listing.image_job import place_product
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.listing.helpers import FETCH_MAX_BYTES, product_png
from tests.listing.test_image_job import assets_of, make_product, params, run_job, stored_image
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import events_of


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, settings_factory: Callable[..., Settings], fake_openai: FakeOpenAI
) -> Settings:
    """The listing tests' settings with the fake server as the image model (``listing_settings`` adds more)."""
    values: dict[str, Any] = {
        "image_fetch_allow_private": True,
        "image_fetch_max_bytes": FETCH_MAX_BYTES,
        "plans": {"free": 0, "pro": 0, "growth": 0},
        "gemini_base_url": fake_openai.base_url,
        **fake_openai.settings(llm_max_retries=2, image_model="gpt-image-1"),
    }
    marker = request.node.get_closest_marker("listing_settings")
    if marker is not None:
        values.update(marker.kwargs)
    return settings_factory(**values)


async def test_an_ai_style_asks_the_image_model_for_the_scene(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    product_id = await make_product(services, pro, image=product_png())
    job_params = params(
        product_id,
        "LIFESTYLE_CONTEXTUAL",
        "shopify",
        size=1500,
        context="a sunny kitchen counter",
        custom_prompt="morning light, a cup beside it",
    )
    job = await run_job(services, pro, job_params)
    assert job.status == "completed", job.error_message
    result = job.result or {}
    assert result["renderer"] == "gpt-image-1"
    [request] = fake_openai.requests
    assert request.path == "/v1/images/edits" and request.model == "gpt-image-1"
    prompt = request.body["prompt"]
    assert "Organic Green Tea 100g" in prompt and "a sunny kitchen counter" in prompt
    assert "morning light, a cup beside it" in prompt
    with Image.open(io.BytesIO(request.files["image"])) as sent:
        assert sent.format == "PNG" and sent.size == (400, 400)  # the product's own image
    [asset] = await assets_of(services, pro)
    assert asset.renderer == "gpt-image-1" and (asset.width, asset.height) == (1500, 1500)
    assert (await stored_image(services, asset.media_id)).size == (1500, 1500)
    messages = [e.message or "" for e in await events_of(services, job.id)]
    assert any("image model" in m for m in messages)


async def test_a_style_without_a_scene_never_calls_the_image_model(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    product_id = await make_product(services, pro, image=product_png())
    job = await run_job(services, pro, params(product_id, "DIMENSION_SPEC", "general", ai_model="openai"))
    assert job.status == "completed", job.error_message
    assert (job.result or {})["renderer"] == "pillow" and fake_openai.calls == 0


@pytest.mark.listing_settings(image_model=None, gemini_api_key="g-key", gemini_image_model="imagen-3.0-generate-002")
async def test_the_gemini_entry_generates_the_scene(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    product_id = await make_product(services, pro, image=product_png())
    job = await run_job(
        services, pro, params(product_id, "SEASONAL_VARIANT", "etsy", season="Diwali", ai_model="gemini")
    )
    assert job.status == "completed", job.error_message
    assert (job.result or {})["renderer"] == "imagen-3.0-generate-002"
    [request] = fake_openai.requests
    assert request.path == "/v1/images/generations" and "Diwali" in request.body["prompt"]
    # The endpoint cannot draw from the source image: it is asked for an empty backdrop, and the real product
    # is placed on it before the layout.
    assert "empty surface in the lower centre" in request.body["prompt"] and not request.files


def test_the_real_product_is_placed_on_a_generated_backdrop() -> None:
    backdrop = Image.new("RGB", (1024, 1024), (30, 90, 160))
    with Image.open(io.BytesIO(product_png())) as source:
        scene = place_product(backdrop, source.convert("RGB"))
    assert scene.size == (1024, 1024) and scene.mode == "RGB"
    assert scene.getpixel((512, 620)) == (200, 30, 40)  # the product's red, in the lower centre
    assert scene.getpixel((20, 20)) == (30, 90, 160)  # the backdrop around it is untouched


async def test_an_image_model_that_keeps_failing_fails_the_job(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.always(500)
    product_id = await make_product(services, pro, image=product_png())
    job = await run_job(services, pro, params(product_id, "MODEL_STUDIO", "general"))
    assert job.status == "failed"
    assert job.error_code == "provider_error"
    assert "openai image model kept failing (HTTP 500) after 3 attempts" in (job.error_message or "")
    assert fake_openai.calls == 3
    assert await assets_of(services, pro) == []
