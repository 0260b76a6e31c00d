"""Channel adaptation: offline adaptation from the examples, the channel's configuration and guardrails, the
channel table, saved configurations, and the provider's prompt."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from domain.content.adaptation.channel import learn_replacements
from domain.content.adaptation.requests import ChannelExample
from resolvers.context import AppServices
from tests.content.adaptation.helpers import CHANNEL, example, job_count, run_job, texts
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql

OTHER = {
    "product_id": "555",
    "product_name": "QuantumTech Speaker",
    "product_description": "A compact speaker. Pairs in seconds.",
    "brand": "QuantumTech",
    "market": "uk",
    "language": "en",
    "variant_group_id": "S1",
    "keywords": {"must": ["Bluetooth"], "claims": ["Tested for 10,000 hours of play"]},
    "attributes": [{"name": "colour", "value": "Blue"}, {"name": "connectivity", "value": "Bluetooth 5.3"}],
}


def other_item(**content: Any) -> dict[str, Any]:
    pdp = {
        "title": "QuantumTech Speaker",
        "desc": "Explore the innovative features of the QuantumTech Speaker. Obsolete cables are a thing of the past.",
        "bullets": ["High-speed processor", "Water resistant"],
        "howtouse": "Turn on the device and pair it with your phone.",
    }
    pdp.update(content)
    return {"product": copy.deepcopy(OTHER), "pdp_content": pdp}


def test_replacements_are_learnt_in_context_without_numbers() -> None:
    params = example("channel")["content_generation_params"]
    examples = [ChannelExample.model_validate(e) for e in params["channel_examples"]]
    assert learn_replacements(examples, "bullets") == {"High-speed processor": "High-performance processor"}
    assert learn_replacements(examples, "title") == {}  # 2023 -> 2024 is the example's fact, not phrasing
    howto = learn_replacements(examples, "howtouse")
    assert howto["the device and"] == "the power button and"
    assert "device" not in howto  # never out of its context


async def test_offline_adaptation_learns_from_the_examples(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    body = example("channel")
    body["items"] = [other_item()]
    _, result = await run_job(client, workspace, CHANNEL, body)
    entry = result["555"]
    content = entry["content"]
    assert content["desc"].startswith("Experience the cutting-edge technology with QuantumTech Speaker.")
    assert content["howtouse"] == "To operate, simply press the power button and pair it with your phone."
    # Amazon's examples have five bullets: the two given (one rephrased), then three from the product data.
    assert content["bullets"][:2] == ["High-performance processor", "Water resistant"]
    assert len(content["bullets"]) == 5
    assert any("Bluetooth 5.3" in b for b in content["bullets"])
    assert content["title"] == "QuantumTech Speaker"
    (note,) = [w for w in entry["warnings"] if w["code"] == "ADAPTED_OFFLINE"]
    assert "phrase replacements" in note["description"] and "3 list item(s) added" in note["description"]


async def test_the_channel_configuration_and_guardrails_apply(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    body = example("channel")
    body["items"] = [other_item()]
    body["content_generation_params"]["content_config"] = {
        "word_map": {"Speaker": "Sound Box"},
        "client": {"forbidden_words": ["thing of the past"]},
        "keyword_groups": {"omit": ["avoid"], "must": ["must"]},
        "content_types": {
            "title": {"character_limit": 20},
            "desc": {"additions": {"desc": "{{desc}} Sold by {{attr.brand}}."}},
        },
    }
    body["items"][0]["product"]["keywords"]["avoid"] = ["Obsolete"]
    _, result = await run_job(client, workspace, CHANNEL, body)
    entry = result["555"]
    content = entry["content"]
    codes = {(w["content_type"], w["code"]) for w in entry["warnings"]}
    assert len(content["title"]) <= 20 or ("title", "EXCEED_LENGTH") in codes
    assert content["title"] == "QuantumTech Sound"  # the word map, then a clean cut at a word boundary
    for text in [t for v in content.values() for t in texts(v)]:
        assert "Speaker" not in text and "thing of the past" not in text and "Obsolete" not in text
    assert content["desc"].endswith("Sold by QuantumTech.")
    # "Bluetooth" must appear: it does in the bullets written from the product data; the title lacks it.
    assert ("bullets", "MISSING_KEYWORD") not in codes
    assert ("title", "MISSING_KEYWORD") in codes


async def test_saved_configuration_by_name_and_the_used_config(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    saved = {"name": "amazon", "content_config": {"word_map": {"Speaker": "Sound Box"}, "guidelines": ["Be brief."]}}
    created = await client.post("/brandbrain/content-configs", json=saved, headers=workspace.headers())
    assert created.status_code == 201, created.text
    body = example("channel")
    body["items"] = [other_item()]
    body["content_generation_params"]["content_config"] = {"guidelines": ["Be exact."]}
    body["content_generation_params"]["content_config_id"] = "amazon"
    job_id, result = await run_job(client, workspace, CHANNEL, body)
    assert "Sound Box" in result["555"]["content"]["title"]
    used = await client.get(f"{CHANNEL}/{job_id}/config", headers=workspace.headers())
    assert used.json() == {"word_map": {"Speaker": "Sound Box"}, "guidelines": ["Be exact."]}


SET_CHANNEL = """
mutation ($input: SetContentChannelInput!) {
  setContentChannel(input: $input) { userErrors { field message } }
}
"""


async def test_the_channel_table_decides_the_content_types(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    body = example("channel")
    body["items"] = [other_item()]
    body["content_generation_params"]["channel"] = "Marketplace"
    before = await job_count(services)
    refused = await client.post(CHANNEL, json=body, headers=workspace.headers())
    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_request"
    assert refused.json()["errors"] == {"content_generation_params.channel": ["Unknown channel 'Marketplace'."]}
    assert await job_count(services) == before

    channel = {"channel": "Marketplace", "locale": "en_uk", "contentTypes": ["title", "short_bullets"]}
    status, answer = await gql(client, SET_CHANNEL, {"input": channel}, workspace.api_key)
    assert status == 200 and answer["data"]["setContentChannel"]["userErrors"] == [], answer
    _, result = await run_job(client, workspace, CHANNEL, body)
    content = result["555"]["content"]
    assert list(content) == ["title", "short_bullets"]  # what the workspace's channel takes
    assert isinstance(content["short_bullets"], list) and len(content["short_bullets"]) == 3  # its task: 3

    body["content_generation_params"]["content_types"] = ["title", "desc"]
    refused = await client.post(CHANNEL, json=body, headers=workspace.headers())
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["content_generation_params.content_types[1]"]


async def test_another_language_offline_is_a_translation_and_refused(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    body = example("channel")
    body["content_generation_params"]["language"] = "de"
    body["content_generation_params"]["market"] = "de"
    before = await job_count(services)
    response = await client.post(CHANNEL, json=body, headers=workspace.headers())
    assert response.status_code == 503
    assert response.json()["code"] == "provider_required"
    assert "translation" in response.json()["message"] and "OPENAI_BASE_URL" in response.json()["message"]
    assert await job_count(services) == before


@pytest.mark.provider("openai")
async def test_with_a_provider_the_language_change_is_written_and_limits_shortened(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    body = example("channel")
    body["content_generation_params"]["language"] = "de"
    body["content_generation_params"]["market"] = "de"
    body["content_generation_params"]["content_config"] = {"content_types": {"title": {"character_limit": 30}}}
    fake_openai.break_rules(too_long=200)
    _, result = await run_job(client, workspace, CHANNEL, body)
    entry = result["1234567890001"]
    assert len(entry["content"]["title"]) <= 30 or "EXCEED_LENGTH" in {w["code"] for w in entry["warnings"]}
    first, *rest = fake_openai.requests
    assert "write every text in the language 'de'" in first.system
    assert "At most 30 characters for the text." in first.user
    assert [r.schema_name for r in rest] == ["shortened_content"]  # the shortening pass of content generation


async def test_offline_the_configurations_style_guide_applies(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    body = example("channel")
    body["items"] = [other_item(desc="Loud and proud 🎉! Pairs in seconds!")]
    body["content_generation_params"]["content_config"] = {
        "style_guide": {"use_of_emoticons": "Never use emoji.", "emotional_tone": "Calm"}
    }
    _, result = await run_job(client, workspace, CHANNEL, body)
    entry = result["555"]
    assert entry["content"]["desc"] == "Loud and proud. Pairs in seconds."
    assert "the style guide's measurable rules" in entry["warnings"][0]["description"]
