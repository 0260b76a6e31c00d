"""The image-model provider on the real SDK against the local OpenAI-compatible server's image endpoints, the
entries built from settings, and ``check_ai_model``."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from domain.ai.images import ImageProviders, ModelNotConfigured
from domain.ai.ports import ProviderError, ProviderSet
from domain.listing.jobs import check_ai_model
from shopwright.runtime import build_providers
from shopwright.settings import Settings
from tests.support.fake_openai import FakeOpenAI, Reply
from workers.ai.factory import build_image_providers, call_slots
from workers.ai.openai_images import OpenAIImageProvider
from workers.ai.openai_provider import RetryPolicy
from workers.ai.slots import SharedSlots


def source_png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


def make_provider(fake: FakeOpenAI, **kwargs: Any) -> OpenAIImageProvider:
    values: dict[str, Any] = {
        "name": "openai",
        "api_key": "test-key",
        "base_url": fake.base_url,
        "model": "gpt-image-1",
        "retry": RetryPolicy(max_retries=3, backoff_seconds=0.01),
    }
    values.update(kwargs)
    return OpenAIImageProvider(**values)


async def test_edit_sends_the_source_and_answers_a_png(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai)
    source = source_png()
    result = await provider.edit(source, "A kitchen counter scene", "1024x1024")
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == "PNG" and image.size == (1024, 1024)
    assert result.model == "gpt-image-1"
    sent = fake_openai.requests[0]
    assert sent.path == "/v1/images/edits"
    assert sent.files["image"] == source
    assert sent.body["prompt"] == "A kitchen counter scene"
    assert sent.body["model"] == "gpt-image-1" and sent.body["size"] == "1024x1024"
    assert "response_format" not in sent.body  # gpt-image models always answer b64_json and refuse the field
    await provider.close()


async def test_other_models_are_asked_for_b64_json(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai, model="dall-e-2")
    result = await provider.generate("A festive table", "512x512")
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.size == (512, 512)
    sent = fake_openai.requests[0]
    assert sent.path == "/v1/images/generations"
    assert sent.body["response_format"] == "b64_json" and sent.body["n"] == 1
    await provider.close()


async def test_an_entry_without_edits_generates_from_the_prompt(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai, name="gemini", model="imagen-3.0-generate-002", edits=False)
    result = await provider.edit(source_png(), "A model holding the product", "1024x1024")
    assert result.data.startswith(b"\x89PNG")
    assert [r.path for r in fake_openai.requests] == ["/v1/images/generations"]
    assert fake_openai.requests[0].body["prompt"] == "A model holding the product"
    await provider.close()


async def test_transient_failures_are_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(429, times=1)
    fake_openai.fail(503, times=1)
    provider = make_provider(fake_openai)
    result = await provider.edit(source_png(), "scene", "1024x1024")
    assert result.data.startswith(b"\x89PNG")
    assert fake_openai.calls == 3
    await provider.close()


async def test_a_provider_that_keeps_failing_raises_after_bounded_retries(fake_openai: FakeOpenAI) -> None:
    fake_openai.always(500)
    provider = make_provider(fake_openai)
    with pytest.raises(ProviderError, match=r"openai image model kept failing \(HTTP 500\) after 4 attempts"):
        await provider.edit(source_png(), "scene", "1024x1024")
    assert fake_openai.calls == 4
    await provider.close()


async def test_client_errors_are_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(status=400))
    provider = make_provider(fake_openai)
    with pytest.raises(ProviderError, match=r"refused the request \(HTTP 400\)"):
        await provider.edit(source_png(), "scene", "1024x1024")
    assert fake_openai.calls == 1
    await provider.close()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(content="not base64 at all!"), "not base64"),
        (Reply(content=base64.b64encode(b"<html>not an image</html>").decode()), "not a PNG, JPEG or WebP"),
        (Reply(data={"created": 1, "data": [{"url": "https://example.com/a.png"}]}), "without image data"),
    ],
)
async def test_answers_without_an_image_are_provider_errors(
    fake_openai: FakeOpenAI, reply: Reply, message: str
) -> None:
    fake_openai.script(reply)
    provider = make_provider(fake_openai)
    with pytest.raises(ProviderError, match=message):
        await provider.generate("scene", "1024x1024")
    assert fake_openai.calls == 1  # the same request would answer alike: not retried
    await provider.close()


async def test_image_calls_are_bounded_per_entry(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.3
    provider = make_provider(fake_openai, concurrency=2)
    await asyncio.gather(*(provider.generate(f"scene {i}", "256x256") for i in range(6)))
    assert fake_openai.calls == 6
    assert fake_openai.max_in_flight == 2
    await provider.close()


# --- entries from settings, and aiModel --------------------------------------------------------------


def test_no_image_model_set_configures_no_entry(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="auto", openai_api_key="sk-x"))
    assert providers.images is not None and providers.images.configured() == []
    assert check_ai_model(providers, "auto") == "offline"


def test_offline_mode_configures_no_image_model(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(
        ai_provider="offline",
        openai_api_key="sk-x",
        image_model="gpt-image-1",
        gemini_api_key="g",
        gemini_image_model="m",
    )
    providers = build_providers(settings)
    assert providers.images is not None and providers.images.configured() == []


async def test_entries_are_configured_by_their_settings(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(
        ai_provider="auto",
        openai_base_url="http://127.0.0.1:1/v1",
        image_model="gpt-image-1",
        gemini_api_key="g-key",
        gemini_image_model="imagen-3.0-generate-002",
        image_concurrency=3,
    )
    providers = build_providers(settings)
    images = providers.images
    assert images is not None and images.configured() == ["openai", "gemini"]
    assert isinstance(images.openai, OpenAIImageProvider) and images.openai.edits
    assert images.openai.model == "gpt-image-1" and images.openai.slots.limit == 3
    assert isinstance(images.gemini, OpenAIImageProvider) and not images.gemini.edits
    assert str(images.gemini.client.base_url).startswith("https://generativelanguage.googleapis.com/v1beta/openai")
    assert check_ai_model(providers, "auto") == "openai"
    assert check_ai_model(providers, "gemini") == "gemini"
    await providers.aclose()


async def test_a_gemini_model_without_its_key_is_not_configured(settings_factory: Callable[..., Settings]) -> None:
    providers = build_providers(settings_factory(ai_provider="auto", gemini_image_model="imagen-3.0-generate-002"))
    with pytest.raises(ModelNotConfigured) as raised:
        check_ai_model(providers, "gemini")
    assert raised.value.status == 400 and raised.value.code == "model_not_configured"
    assert "SHOPWRIGHT_GEMINI_API_KEY" in raised.value.message


def test_auto_picks_openai_first_then_gemini_then_offline(fake_openai: FakeOpenAI) -> None:
    one = make_provider(fake_openai)
    two = make_provider(fake_openai, name="gemini", edits=False)
    assert check_ai_model(ProviderSet(images=ImageProviders(openai=one, gemini=two)), "auto") == "openai"
    assert check_ai_model(ProviderSet(images=ImageProviders(gemini=two)), "auto") == "gemini"
    assert check_ai_model(ProviderSet(images=ImageProviders()), "auto") == "offline"
    assert check_ai_model(ProviderSet(), "auto") == "offline"


@pytest.mark.parametrize(
    ("ai_model", "settings"), [("openai", "SHOPWRIGHT_IMAGE_MODEL"), ("gemini", "SHOPWRIGHT_GEMINI_IMAGE_MODEL")]
)
def test_a_named_model_that_is_not_configured_is_refused(ai_model: str, settings: str) -> None:
    with pytest.raises(ModelNotConfigured) as raised:
        check_ai_model(ProviderSet(), ai_model)
    assert raised.value.status == 400 and raised.value.code == "model_not_configured"
    assert settings in raised.value.message and f"'{ai_model}'" in raised.value.message


def test_an_unknown_model_is_refused() -> None:
    with pytest.raises(ModelNotConfigured, match="Unknown aiModel 'dalle'"):
        check_ai_model(ProviderSet(), "dalle")


async def test_image_calls_have_their_own_shared_slots(redis_url: str) -> None:
    images = build_image_providers(
        mode="auto",
        openai_api_key="sk-x",
        openai_base_url="http://127.0.0.1:1/v1",
        openai_model="gpt-image-1",
        gemini_api_key=None,
        gemini_base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
        gemini_model=None,
        concurrency=2,
        redis_url=redis_url,
    )
    text_slots = call_slots(8, redis_url, 8, "http://127.0.0.1:1/v1")
    try:
        assert isinstance(images.openai, OpenAIImageProvider) and isinstance(images.openai.slots, SharedSlots)
        assert isinstance(text_slots, SharedSlots)
        assert images.openai.slots.limit == 2 and images.openai.slots.local.limit == 2
        assert images.openai.slots._keys[0] == text_slots._keys[0].replace(":holders", ":images:holders")
    finally:
        await images.aclose()
        await text_slots.close()
