"""Every example request of the three adaptation sections, as it stands, end to end: offline where offline is
allowed, and against the OpenAI-compatible test server."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.adaptation.helpers import CHANNEL, TONE, TRANSLATE, example, job_count, run_job, texts
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI, RecordedRequest
from tests.support.jobs import events_of, load_job

PRODUCT_ID = "1234567890001"
PRODUCT_KEYS = [
    "product_id", "product_name", "product_description", "brand", "market", "language", "variant_group_id",
    "keywords", "reviews", "attributes",
]  # fmt: skip


def assert_channel_shape(result: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    assert list(result) == [PRODUCT_ID]
    entry: dict[str, Any] = result[PRODUCT_ID]
    assert list(entry) == ["content", "product", "warnings"]
    assert entry["product"] == body["items"][0]["product"]
    assert list(entry["product"]) == PRODUCT_KEYS
    # Amazon takes title, desc, bullets and howtouse (the channel table; the example's targets agree).
    assert list(entry["content"]) == ["title", "desc", "bullets", "howtouse"]
    for name, value in entry["content"].items():
        assert value and all(isinstance(t, str) and t for t in texts(value)), name
    assert isinstance(entry["content"]["bullets"], list)
    for warning in entry["warnings"]:
        assert list(warning) == ["content_type", "code", "description"]
    return entry


async def test_channel_example_offline(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    body = example("channel")
    job_id, result = await run_job(client, workspace, CHANNEL, body)
    entry = assert_channel_shape(result, body)
    # The item's content is the example's target already: offline keeps it, and says it worked offline.
    assert entry["content"] == body["items"][0]["pdp_content"]
    assert [w["code"] for w in entry["warnings"]] == ["ADAPTED_OFFLINE"]
    assert entry["warnings"][0]["content_type"] is None

    config = await client.get(f"{CHANNEL}/{job_id}/config", headers=workspace.headers())
    assert config.status_code == 200
    assert config.json() == body["content_generation_params"]["content_config"]
    job = await load_job(services, job_id)
    assert job.kind == "content.adaptation.channel"
    assert job.external_tracking_id == body["external_tracking_id"]
    progress = [e.data for e in await events_of(services, job_id) if e.data and "product_id" in e.data]
    assert progress == [{"product_id": PRODUCT_ID, "status": "completed"}]


@pytest.mark.provider("openai")
async def test_channel_example_with_provider(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    body = example("channel")
    job_id, result = await run_job(client, workspace, CHANNEL, body)
    entry = assert_channel_shape(result, body)
    assert "ADAPTED_OFFLINE" not in {w["code"] for w in entry["warnings"]}
    call = fake_openai.requests[0]
    assert call.model == "gpt-4.1" and call.schema_name == "channel_content"
    assert "from Standard to the sales channel Amazon" in call.system
    assert "Ensure high-quality product titles." in call.user  # the configuration's guidelines
    assert "Explore the innovative features of the QuantumTech Gadget 2023 Edition." in call.user  # the example
    assert "Turn on the device and follow the initial setup instructions." in call.user  # the first content
    assert set(call.schema["required"]) == {"title", "desc", "bullets", "howtouse"}  # type: ignore[index]
    job = await load_job(services, job_id)
    assert job.prompt_tokens > 0 and job.completion_tokens > 0


def assert_tone_shape(result: dict[str, Any], body: dict[str, Any]) -> None:
    assert list(result) == list(body["content"])  # the content types given, in order
    assert isinstance(result["bullets"], list) and len(result["bullets"]) == 3
    for name in ("title", "desc", "howtouse"):
        assert isinstance(result[name], str) and result[name]


async def test_tone_example_offline(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    body = example("tone")
    job_id, result = await run_job(client, workspace, TONE, body)
    assert_tone_shape(result, body)
    # Nothing in the example breaks a measurable rule of its guide: the texts stand.
    assert result == body["content"]
    job = await load_job(services, job_id)
    assert job.kind == "content.adaptation.tone_of_voice"
    assert job.external_tracking_id == body["external_tracking_id"]
    warning = job.result["warnings"][0]  # type: ignore[index]
    assert warning["code"] == "ADAPTED_OFFLINE"
    assert "emoji removed (use_of_emoticons)" in warning["description"]
    assert "exclamation marks calmed (emotional_tone)" in warning["description"]
    assert "not applied (a rewrite needs an AI provider): tone_of_voice" in warning["description"]


@pytest.mark.provider("openai")
async def test_tone_example_with_provider(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    body = example("tone")
    job_id, result = await run_job(client, workspace, TONE, body)
    assert_tone_shape(result, body)  # three bullets, as given, whatever the writer returned
    job = await load_job(services, job_id)
    codes = [w["code"] for w in job.result["warnings"]]  # type: ignore[index]
    assert "ADAPTED_OFFLINE" not in codes
    # The test server writes five bullets for any list: the first three are kept, and the result says so.
    assert {"content_type": "bullets", "code": "ITEM_COUNT"}.items() <= job.result["warnings"][0].items()  # type: ignore[index]
    call = fake_openai.requests[0]
    assert call.schema_name == "restyled_content" and call.model == "gpt-4.1"
    assert "- tone of voice: Informal but professional" in call.system
    assert "- use of emoticons: Emoticons can be used" in call.system
    assert "bullet2" in call.user


async def test_translation_example_offline_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await job_count(services)
    response = await client.post(TRANSLATE, json=example("translation"), headers=workspace.headers())
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "provider_required"
    assert "OPENAI_API_KEY" in body["message"] and "OPENAI_BASE_URL" in body["message"]
    assert await job_count(services) == before


def translator(request: RecordedRequest) -> dict[str, Any]:
    """Answers a translation (or revision) call with the glossary applied: the texts of the user message,
    tagged with the language, each glossary term replaced by its translation."""
    schema = request.schema or {}
    found = re.search(r"(?:into|written in) (.+) \([A-Za-z]{2}(?:[_-][A-Za-z]{2})?\)", request.system)
    language = found.group(1) if found else "?"
    glossary = {}
    for line in request.system.splitlines():
        if line.startswith('- "') and '" -> "' in line:
            term, wanted = line[3:-1].split('" -> "')
            glossary[term] = wanted
    out: dict[str, Any] = {}
    lines = request.user.splitlines()
    for name in schema["properties"]:
        start = next(i for i, line in enumerate(lines) if line.startswith(f'"{name}"'))
        block = []
        for line in lines[start + 1 :]:
            if line.startswith('"'):
                break
            block.append(line)
        items = [b[2:] for b in block if b.startswith("- ")]
        text = " ".join(b for b in block if not b.startswith("- "))

        def translate(t: str) -> str:
            for term, wanted in glossary.items():
                t = t.replace(term, wanted).replace(term.capitalize(), wanted.capitalize())
            return f"[{language}] {t}"

        out[name] = [translate(i) for i in items] if schema["properties"][name]["type"] == "array" else translate(text)
    return out


@pytest.mark.provider("openai")
async def test_translation_example_with_provider(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.handler = translator
    body = example("translation")
    job_id, result = await run_job(client, workspace, TRANSLATE, body)
    assert [entry["language"] for entry in result] == ["French (France)", "Spanish (Spain)"]
    for entry in result:
        assert list(entry) == ["language", "pdp_content", "warnings"]
        assert list(entry["pdp_content"]) == ["title", "desc", "howtouse", "bullets"]
        assert len(entry["pdp_content"]["bullets"]) == 2
        assert entry["pdp_content"]["title"].startswith(f"[{entry['language']}]")
    french = result[0]
    assert "ordinateur portable" in french["pdp_content"]["title"].lower()  # the glossary (any case)
    assert french["warnings"] == []
    assert result[1]["warnings"] == []  # no glossary for es_ES (the example's other one is for id_ID)
    assert {r.schema_name for r in fake_openai.requests} == {"translated_content"}  # nothing to revise
    job = await load_job(services, job_id)
    assert job.kind == "content.adaptation.translation" and job.prompt_tokens > 0
    progress = [e.data for e in await events_of(services, job_id) if e.data and "language" in e.data]
    assert sorted(p["language"] for p in progress) == ["es_es", "fr_fr"]
