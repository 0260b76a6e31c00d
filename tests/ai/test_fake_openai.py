"""The OpenAI-compatible test server itself: the other tests rely on what it promises."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from domain.ai.jsonschema import schema_errors
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, RuleBreaker, default_answer

SCHEMA: dict[str, Any] = {
    "type": "object",
    "$defs": {"Tone": {"type": "string", "enum": ["formal", "casual"]}},
    "properties": {
        "title": {"type": "string", "maxLength": 25},
        "bullets": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "tone": {"$ref": "#/$defs/Tone"},
        "score": {"type": "integer", "minimum": 3},
        "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
        "nested": {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]},
    },
    "required": ["title", "bullets", "tone", "score", "note", "nested"],
    "additionalProperties": False,
}


def request(user: str, schema: dict[str, Any] | None = SCHEMA) -> RecordedRequest:
    body: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": user}]}
    if schema is not None:
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    return RecordedRequest("/v1/chat/completions", body, {}, time.monotonic())


def test_default_answer_matches_the_schema_and_uses_the_prompt() -> None:
    answer = default_answer(request("Velvet armchair in emerald green with oak legs"))
    assert schema_errors(answer, SCHEMA) == []
    assert answer["tone"] == "formal" and answer["score"] == 3
    words = set(" ".join([answer["title"], *answer["bullets"]]).replace(".", "").lower().split())
    assert words & {"velvet", "armchair", "emerald", "green", "oak", "legs"}
    assert default_answer(request("Velvet armchair in emerald green with oak legs")) == answer  # deterministic


def test_rule_breaker() -> None:
    answer = {"title": "Black lamp.", "bullets": ["Claim X here.", "Soft light."]}
    broken = RuleBreaker(too_long=80, words=("obsolete",), drop=("Claim X",), replace={"black": "Red"}, extra_items=1)(
        request("x"), answer
    )
    assert len(broken["title"]) >= 80 and "Red lamp" in broken["title"] and "obsolete" in broken["title"]
    assert len(broken["bullets"]) == 3 and not any("Claim X" in b for b in broken["bullets"])


async def test_both_paths_and_usage(fake_openai: FakeOpenAI) -> None:
    payload = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "A desk lamp"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": SCHEMA, "strict": True}},
    }
    async with httpx.AsyncClient(base_url=fake_openai.url) as client:
        for path in ("/v1/chat/completions", "/chat/completions"):
            response = await client.post(path, json=payload)
            assert response.status_code == 200
            body = response.json()
            assert schema_errors(json.loads(body["choices"][0]["message"]["content"]), SCHEMA) == []
            usage = body["usage"]
            assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
        bad = await client.post("/v1/chat/completions", json={"messages": []})
        assert bad.status_code == 400
        fake_openai.fail(429, times=1, retry_after=2)
        limited = await client.post("/v1/chat/completions", json=payload)
        assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
        assert limited.json()["error"]["type"] == "rate_limit_exceeded"
    assert [r.path for r in fake_openai.requests] == [
        "/v1/chat/completions",
        "/chat/completions",
        "/v1/chat/completions",
    ]
