"""The ``listing.copy`` job with a text provider (the fake OpenAI server): the platform's channel config reaches
the structured-output call (content types, limits, tone, audience, seed keywords, forbidden phrases), and the
guardrails hold the platform's rules whatever the model answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from domain.listing.jobs import LISTING_COPY
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.listing.helpers import FETCH_MAX_BYTES
from tests.listing.test_copy_job import codes, make_product, params, run_job
from tests.support.factories import WorkspaceInfo, create_job
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import wait_for


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], fake_openai: FakeOpenAI) -> Settings:
    values: dict[str, Any] = {
        "image_fetch_allow_private": True,
        "image_fetch_max_bytes": FETCH_MAX_BYTES,
        "plans": {"free": 0, "pro": 0, "growth": 0},
        **fake_openai.settings(llm_max_retries=2),
    }
    return settings_factory(**values)


async def test_amazon_with_a_provider(services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI) -> None:
    product_id = await make_product(services, pro)
    job_params = params(
        product_id,
        seed_keywords=["matcha gift"],
        tone="casual",
        target_audience="busy parents who love a calm morning cup",
    )
    result = (await run_job(services, pro, job_params)).result or {}
    first = fake_openai.requests[0]
    assert first.schema is not None
    assert set(first.schema["properties"]) == {"title", "bullets", "description", "keywords"}
    assert "Sales channel: amazon." in first.system
    assert "casual: friendly and conversational" in first.system
    assert "busy parents who love a calm morning cup" in first.system
    assert "Never use these words or phrases: best seller" in first.system
    assert "At most 200 characters for the text." in first.user
    assert "Write exactly 5 bullet points" in first.user
    assert "Must include each of these keywords: matcha gift." in first.user
    assert "Amazon (A9/A10 search)" in first.user
    assert len(result["title"]) <= 200 and len(result["bullets"]) == 5
    assert result["keywords"][0] == "matcha gift"
    assert len(" ".join(result["keywords"]).encode()) <= 249


async def test_the_guardrails_hold_when_the_model_breaks_the_rules(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.break_rules(too_long=600, words=("best seller", "free shipping"), extra_items=3)
    product_id = await make_product(services, pro)
    result = (await run_job(services, pro, params(product_id))).result or {}
    assert len(result["title"]) <= 200
    assert len(result["bullets"]) == 5 and all(len(b) <= 250 for b in result["bullets"])
    assert len(result["description"]) <= 2000
    texts = [result["title"], result["description"], *result["bullets"], *result["keywords"]]
    for phrase in ("best seller", "free shipping"):
        assert all(phrase not in t.lower() for t in texts), phrase
    assert "provider_error" not in codes(result)


async def test_shopify_html_with_a_provider(services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI) -> None:
    product_id = await make_product(services, pro)
    job_params = params(product_id, "shopify", components=["description"])
    result = (await run_job(services, pro, job_params)).result or {}
    assert set(result) == {"platform", "description", "warnings"}
    assert result["description"].startswith("<p>") and "<ul><li>" in result["description"]
    assert set(fake_openai.requests[0].schema["properties"]) == {"description"}  # type: ignore[index]


async def test_a_provider_that_keeps_failing_fails_the_job(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:

    fake_openai.always(500)
    product_id = await make_product(services, pro)
    job_id = await create_job(services, pro, LISTING_COPY, params(product_id))
    job = await wait_for(services, job_id, ("completed", "failed"), timeout=30)
    assert job.status == "failed" and job.error_code == "provider_error"
    assert "kept failing (HTTP 500)" in (job.error_message or "")
