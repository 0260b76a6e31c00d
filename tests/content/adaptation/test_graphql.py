"""The GraphQL twins: mutations that start each adaptation, typed results, progress through jobProgress."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.conftest import LiveServer
from tests.content.adaptation.helpers import example, job_count
from tests.content.adaptation.test_examples import translator
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql, subscription

JOB = "job { id jobId kind status externalTrackingId }"
ERRORS = "userErrors { field code message }"
CHANNEL = f"""
mutation ($input: AdaptToChannelInput!) {{ adaptContentToChannel(input: $input) {{ {JOB} {ERRORS} }} }}
"""
TONE = f"""
mutation ($input: AdaptToneOfVoiceInput!) {{ adaptToneOfVoice(input: $input) {{ {JOB} {ERRORS} }} }}
"""
TRANSLATE = f"""
mutation ($input: TranslateContentInput!) {{ translateContent(input: $input) {{ {JOB} {ERRORS} }} }}
"""
WARNINGS = "warnings { contentType code description }"
CHANNEL_RESULT = f"""
query ($id: ID!) {{ channelAdaptationResult(jobId: $id) {{
  jobId status message usedConfig products {{ productId product content {{ contentType text items }} {WARNINGS} }}
}} }}
"""
TONE_RESULT = f"""
query ($id: ID!) {{ toneAdaptationResult(jobId: $id) {{
  jobId status message content {{ contentType text items }} {WARNINGS}
}} }}
"""
TRANSLATION_RESULT = f"""
query ($id: ID!) {{ translationResult(jobId: $id) {{
  jobId status translations {{ language languageCode content {{ contentType text items }} {WARNINGS} }}
}} }}
"""
PROGRESS = """subscription($id: ID!) { jobProgress(id: $id) { type status progress message data } }"""


async def wait_result(client: httpx.AsyncClient, ws: WorkspaceInfo, query: str, job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            status, body = await gql(client, query, {"id": job_id}, ws.api_key)
            assert status == 200 and "errors" not in body, body
            result: dict[str, Any] = next(iter(body["data"].values()))
            if result["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                return result
            await asyncio.sleep(0.05)


async def start(client: httpx.AsyncClient, ws: WorkspaceInfo, mutation: str, data: dict[str, Any]) -> dict[str, Any]:
    status, body = await gql(client, mutation, {"input": data}, ws.api_key)
    assert status == 200, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


def channel_input(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "items": body["items"],
        "contentGenerationParams": body["content_generation_params"],
        "adaptationModelName": body["adaptation_model_name"],
        "externalTrackingId": body["external_tracking_id"],
    }


async def test_channel_adaptation(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    body = example("channel")
    payload = await start(client, workspace, CHANNEL, channel_input(body))
    assert payload["userErrors"] == []
    job = payload["job"]
    assert job["kind"] == "content.adaptation.channel" and job["externalTrackingId"] == body["external_tracking_id"]
    result = await wait_result(client, workspace, CHANNEL_RESULT, job["id"])
    assert result["status"] == "COMPLETED" and result["jobId"] == job["jobId"]
    assert result["usedConfig"] == body["content_generation_params"]["content_config"]
    (product,) = result["products"]
    assert product["productId"] == "1234567890001"
    assert [c["contentType"] for c in product["content"]] == ["title", "desc", "bullets", "howtouse"]
    assert product["content"][2]["items"] == body["items"][0]["pdp_content"]["bullets"]
    assert [w["code"] for w in product["warnings"]] == ["ADAPTED_OFFLINE"]

    before = await job_count(services)
    body["content_generation_params"]["channel"] = "Nowhere"
    refused = await start(client, workspace, CHANNEL, channel_input(body))
    assert refused["job"] is None
    assert refused["userErrors"] == [
        {"field": "content_generation_params.channel", "code": "INVALID_INPUT", "message": "Unknown channel 'Nowhere'."}
    ]
    assert await job_count(services) == before


async def test_tone_adaptation(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    body = example("tone")
    payload = await start(
        client, workspace, TONE, {"styleGuide": body["style_guide"], "content": {"title": "Wow 🤩! Great."}}
    )
    result = await wait_result(client, workspace, TONE_RESULT, payload["job"]["id"])
    assert result["content"] == [{"contentType": "title", "text": "Wow. Great.", "items": None}]
    assert [w["code"] for w in result["warnings"]] == ["ADAPTED_OFFLINE"]

    before = await job_count(services)
    refused = await start(client, workspace, TONE, {"styleGuide": None, "content": {"title": "x"}})
    assert refused["job"] is None and [e["field"] for e in refused["userErrors"]] == ["style_guide"]
    assert await job_count(services) == before


async def test_translation_offline_is_refused(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await job_count(services)
    refused = await start(client, workspace, TRANSLATE, {"pdpContent": {"title": "Laptop"}, "languages": ["fr_FR"]})
    assert refused["job"] is None
    (error,) = refused["userErrors"]
    assert error["code"] == "PROVIDER_REQUIRED" and "OPENAI_API_KEY" in error["message"]
    assert await job_count(services) == before


@pytest.mark.provider("openai")
async def test_translation_progress_and_typed_result(live_server: LiveServer, fake_openai: FakeOpenAI) -> None:
    services = live_server.services
    workspace = await make_workspace(services, name="Translations")
    fake_openai.handler = translator
    fake_openai.latency = 0.3  # long enough to subscribe while the job runs
    body = example("translation")
    data = {
        "pdpContent": body["pdp_content"],
        "languages": ["fr_FR", "es_ES"],
        "translatedKeywords": body["translated_keywords"],
        "translationModelName": "gpt-5-chat",
    }
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        payload = await start(client, workspace, TRANSLATE, data)
        assert payload["userErrors"] == []
        job_id = payload["job"]["id"]
        messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers())
        events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
        assert events[-1]["status"] == "COMPLETED"
        languages = [e["data"]["language"] for e in events if e["data"] and "language" in e["data"]]
        assert sorted(languages) == ["es_es", "fr_fr"]
        result = await wait_result(client, workspace, TRANSLATION_RESULT, job_id)
    assert [(t["language"], t["languageCode"]) for t in result["translations"]] == [
        ("French (France)", "fr_FR"),
        ("Spanish (Spain)", "es_ES"),
    ]
    french = result["translations"][0]
    assert [c["contentType"] for c in french["content"]] == ["title", "desc", "howtouse", "bullets"]
    assert len(french["content"][3]["items"]) == 2 and french["warnings"] == []
    assert {r.model for r in fake_openai.requests} == {"gpt-5-chat-latest"}
