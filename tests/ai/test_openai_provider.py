"""The OpenAI provider, on the real SDK, against the local OpenAI-compatible test server."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest

from domain.ai.jsonschema import schema_errors
from domain.ai.ports import ProviderError, StructuredResult, Usage
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply
from workers.ai.openai_provider import OpenAITextProvider, RetryPolicy, retry_after_seconds

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 60},
        "bullets": {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3},
        "desc": {"type": "string"},
    },
    "required": ["title", "bullets", "desc"],
    "additionalProperties": False,
}


def make_provider(fake: FakeOpenAI, **kwargs: Any) -> OpenAITextProvider:
    retry = kwargs.pop("retry", RetryPolicy(max_retries=4, backoff_seconds=0.01))
    return OpenAITextProvider(api_key="test-key", base_url=fake.base_url, model="test-model", retry=retry, **kwargs)


async def ask(
    provider: OpenAITextProvider, user: str = "Product: QuantumTech Gadget, colour Black"
) -> StructuredResult:
    return await provider.generate_json(
        system="You write product content.", user=user, schema=SCHEMA, schema_name="product_content"
    )


async def test_structured_output_is_parsed_and_matches_the_schema(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai)
    result = await ask(provider)
    assert schema_errors(result.data, SCHEMA) == []
    assert "QuantumTech" in result.data["title"] or "Gadget" in result.data["title"]
    assert result.model == "test-model"
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    sent = fake_openai.requests[0]
    assert sent.system == "You write product content."
    assert sent.user.startswith("Product: QuantumTech")
    fmt = sent.body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"] == {"name": "product_content", "schema": SCHEMA, "strict": True}
    assert sent.headers["authorization"] == "Bearer test-key"


async def test_usage_comes_from_the_response(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(data={"title": "T", "bullets": ["a", "b", "c"], "desc": "D"}, usage=(123, 45)))
    result = await ask(make_provider(fake_openai))
    assert result.usage == Usage(123, 45)
    assert result.data == {"title": "T", "bullets": ["a", "b", "c"], "desc": "D"}


async def test_model_can_be_chosen_per_call(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai)
    result = await provider.generate_json(system="s", user="u", schema=SCHEMA, schema_name="x", model="gpt-4.1")
    assert fake_openai.requests[0].model == "gpt-4.1"
    assert result.model == "gpt-4.1"


async def test_429_twice_then_success(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(429, times=2)
    result = await ask(make_provider(fake_openai))
    assert fake_openai.calls == 3
    assert schema_errors(result.data, SCHEMA) == []


async def test_5xx_is_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(503, times=1)
    fake_openai.fail(500, times=1)
    await ask(make_provider(fake_openai))
    assert fake_openai.calls == 3


async def test_always_500_raises_provider_error_after_bounded_retries(fake_openai: FakeOpenAI) -> None:
    fake_openai.always(500)
    provider = make_provider(fake_openai, retry=RetryPolicy(max_retries=2, backoff_seconds=0.01))
    with pytest.raises(ProviderError) as caught:
        await ask(provider)
    assert fake_openai.calls == 3
    assert caught.value.code == "provider_error" and caught.value.status == 502
    assert "HTTP 500" in caught.value.message and "3 attempts" in caught.value.message


async def test_client_errors_are_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply(status=400))
    with pytest.raises(ProviderError, match="HTTP 400"):
        await ask(make_provider(fake_openai))
    assert fake_openai.calls == 1


async def test_retry_after_is_respected(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(429, times=1, retry_after=0.4)
    provider = make_provider(fake_openai, retry=RetryPolicy(max_retries=2, backoff_seconds=0.0))
    started = time.monotonic()
    await ask(provider)
    assert time.monotonic() - started >= 0.4
    gap = fake_openai.requests[1].received_at - fake_openai.requests[0].received_at
    assert gap >= 0.4


async def test_backoff_grows_between_attempts(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(500, times=3)
    provider = make_provider(fake_openai, retry=RetryPolicy(max_retries=3, backoff_seconds=0.1, jitter=0.0))
    await ask(provider)
    times = [r.received_at for r in fake_openai.requests]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4


async def test_timeout_is_retried_then_reported(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 1.0
    provider = make_provider(fake_openai, timeout_seconds=0.2, retry=RetryPolicy(max_retries=1, backoff_seconds=0.0))
    started = time.monotonic()
    with pytest.raises(ProviderError, match="timed out"):
        await ask(provider)
    assert time.monotonic() - started < 0.9  # two attempts of 0.2 s, not the server's 1 s each
    assert fake_openai.calls == 2


async def test_slow_answer_within_the_timeout_succeeds(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.2
    result = await ask(make_provider(fake_openai, timeout_seconds=2.0))
    assert fake_openai.calls == 1 and result.data


async def test_connection_errors_are_retried_then_reported() -> None:
    provider = OpenAITextProvider(
        api_key="k", base_url="http://127.0.0.1:9/v1", retry=RetryPolicy(max_retries=1, backoff_seconds=0.0)
    )
    with pytest.raises(ProviderError, match="connection error"):
        await ask(provider)


async def test_concurrency_is_bounded(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.3  # long enough that the three slots overlap even on a cold client
    provider = make_provider(fake_openai, concurrency=3)
    await asyncio.gather(*(ask(provider, f"Product number {i}") for i in range(12)))
    assert fake_openai.calls == 12
    assert fake_openai.max_in_flight == 3


async def test_invalid_json_is_retried_once(fake_openai: FakeOpenAI) -> None:
    fake_openai.malformed(times=1)
    result = await ask(make_provider(fake_openai))
    assert fake_openai.calls == 2
    assert schema_errors(result.data, SCHEMA) == []
    # The tokens of the unusable answer are counted too.
    assert result.usage.completion_tokens > 0


async def test_invalid_json_twice_is_a_provider_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.malformed(times=2)
    with pytest.raises(ProviderError, match="not valid JSON"):
        await ask(make_provider(fake_openai))
    assert fake_openai.calls == 2


async def test_answer_not_matching_the_schema_is_refused(fake_openai: FakeOpenAI) -> None:
    fake_openai.script({"title": "only a title"}, {"title": "still only a title"})
    with pytest.raises(ProviderError, match="missing required property 'bullets'"):
        await ask(make_provider(fake_openai))
    assert fake_openai.calls == 2


async def test_too_long_answer_is_not_a_provider_failure(fake_openai: FakeOpenAI) -> None:
    """Lengths are the guardrails' business: the provider hands a too-long answer over."""
    fake_openai.break_rules(too_long=500)
    result = await ask(make_provider(fake_openai))
    assert len(result.data["title"]) >= 500
    assert fake_openai.calls == 1


async def test_handler_sees_the_request(fake_openai: FakeOpenAI) -> None:
    def answer(request: RecordedRequest) -> dict[str, Any]:
        return {"title": request.user.upper(), "bullets": ["1", "2", "3"], "desc": request.schema_name or ""}

    fake_openai.handler = answer
    result = await ask(make_provider(fake_openai), "shout")
    assert result.data["title"] == "SHOUT" and result.data["desc"] == "product_content"


def test_retry_after_header_parsing() -> None:
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) is not None
    assert RetryPolicy().delay(1, retry_after=500.0) == 60.0


def test_backoff_is_exponential_with_bounded_jitter() -> None:
    policy = RetryPolicy(backoff_seconds=1.0, jitter=0.25, max_backoff_seconds=5.0)
    for _ in range(50):
        assert 0.75 <= policy.delay(1) <= 1.25
        assert 1.5 <= policy.delay(2) <= 2.5
        assert 3.75 <= policy.delay(6) <= 6.25


async def test_fake_server_in_flight_count_survives_a_reset(fake_openai: FakeOpenAI) -> None:
    """A request abandoned by its client (timed out) and still being served must not skew later counts."""
    fake_openai.latency = 0.5
    quick = make_provider(fake_openai, timeout_seconds=0.1, retry=RetryPolicy(max_retries=0))
    with pytest.raises(ProviderError):
        await ask(quick)
    fake_openai.reset()
    fake_openai.latency = 0.3
    provider = make_provider(fake_openai, concurrency=2)
    await asyncio.gather(*(ask(provider, f"Product {i}") for i in range(4)))
    await asyncio.sleep(0.5)  # the abandoned request has finished by now
    assert fake_openai.max_in_flight == 2 and fake_openai.in_flight == 0
