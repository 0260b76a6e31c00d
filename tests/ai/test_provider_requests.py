"""A provider call is the SDK's request to ``/chat/completions`` with the body as the provider builds it (plain
JSON), without ``chat.completions.create``'s walk of the body against its typed parameters (issue 13: a third
of the client's CPU a call). The server must receive exactly what ``create`` would have sent: same path, same
JSON body, same authorisation; answers and errors go through the same SDK path either way."""

from __future__ import annotations

from typing import Any

import pytest

from domain.ai.ports import ProviderError
from tests.ai.test_openai_provider import SCHEMA, make_provider
from tests.support.fake_openai import FakeOpenAI, Reply
from workers.ai.openai_provider import OpenAITextProvider


async def through_create(provider: OpenAITextProvider, request: dict[str, Any]) -> Any:
    return await provider.client.chat.completions.create(**request)


IMAGE = "data:image/png;base64,iVBORw0KGgo="


@pytest.mark.parametrize(
    "call",
    [
        {"system": "You write product content.", "user": "Product: QuantumTech Gadget"},
        {"system": "Describe it.", "user": "What is in the picture?", "images": [IMAGE], "max_tokens": 50},
        {"system": "s", "user": "u", "temperature": 0.0, "model": "other-model"},
    ],
)
async def test_the_server_receives_what_create_would_send(fake_openai: FakeOpenAI, call: dict[str, Any]) -> None:
    provider = make_provider(fake_openai)
    sent: list[dict[str, Any]] = []
    send = provider._send

    async def recorded(request: dict[str, Any]) -> Any:
        sent.append(request)
        return await send(request)

    provider._send = recorded  # type: ignore[method-assign]
    try:
        result = await provider.generate_json(schema=SCHEMA, schema_name="product_content", **call)
        await through_create(provider, sent[0])
    finally:
        await provider.close()
    ours, sdks = fake_openai.requests
    assert ours.path == sdks.path == "/v1/chat/completions"
    assert ours.body == sdks.body
    assert ours.headers == sdks.headers and ours.headers["authorization"] == "Bearer test-key"
    assert result.data and result.usage.total_tokens > 0


async def test_errors_are_the_sdks_own(fake_openai: FakeOpenAI) -> None:
    provider = make_provider(fake_openai)
    fake_openai.script(Reply(status=400, content="bad"))
    try:
        with pytest.raises(ProviderError, match=r"refused the request \(HTTP 400\)"):
            await provider.generate_json(system="s", user="u", schema=SCHEMA, schema_name="x")
    finally:
        await provider.close()
