"""The document's example request (QuantumTech Gadget, full content_config), as it stands, end to end."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.ai.repository import AiUsageRepository
from domain.content.config_schema import parse_content_config
from domain.content.textops import contains_phrase
from resolvers.context import AppServices
from tests.content.helpers import JOBS, LIMITS, PRODUCT_ID, assert_claims_kept, generate, texts
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import events_of, load_job


def assert_documented_shape(result: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    assert list(result) == [PRODUCT_ID]
    entry: dict[str, Any] = result[PRODUCT_ID]
    assert list(entry) == ["content", "product", "warnings"]
    assert entry["product"] == example["products"][0]
    assert list(entry["content"]) == ["title", "bullets", "desc"]  # as requested
    assert isinstance(entry["content"]["title"], str) and entry["content"]["title"]
    assert isinstance(entry["content"]["desc"], str) and entry["content"]["desc"]
    assert isinstance(entry["content"]["bullets"], list) and entry["content"]["bullets"]
    for warning in entry["warnings"]:
        assert set(warning) == {"content_type", "code", "description"}
    return entry


def assert_rules_met(entry: dict[str, Any], example: dict[str, Any]) -> None:
    """Every rule of the example configuration holds, or the matching warning says why not."""
    content = entry["content"]
    codes = {(w["content_type"], w["code"]) for w in entry["warnings"]}
    for name, limit in LIMITS.items():
        for text in texts(content[name]):
            assert len(text) <= limit or (name, "EXCEED_LENGTH") in codes
    assert_claims_kept(content, example["products"][0]["keywords"])
    for text in [t for v in content.values() for t in texts(v)]:
        assert not contains_phrase(text, "shopper barrier") and not contains_phrase(text, "shopping barrier")
        assert " - " not in text and "Not Applicable" not in text
    assert content["title"].startswith("QuantumTech")
    assert content["bullets"][0].startswith("How to: ")
    assert "Thanks, from the team at QuantumTech!" in content["desc"]


async def test_example_offline(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    job_id, result = await generate(client, workspace, example)
    entry = assert_documented_shape(result, example)
    assert_rules_met(entry, example)
    # Readable, data-driven text: the product's own facts.
    assert "Black" in entry["content"]["title"] and "Gadget" in entry["content"]["title"]
    assert "A high-tech gadget designed for modern needs." in entry["content"]["desc"]
    assert len(entry["content"]["bullets"]) >= 5
    # The attribute sub_brand does not exist: the addition says so rather than failing silently.
    assert {"content_type": "title", "code": "ADDITION_INCOMPLETE"}.items() <= entry["warnings"][0].items()

    status = await client.get(f"{JOBS}/{job_id}/status", headers=workspace.headers())
    assert status.json() == {"status": "completed", "message": "The job has completed successfully."}
    used = await client.get(f"{JOBS}/{job_id}/config", headers=workspace.headers())
    assert used.status_code == 200
    assert used.json() == parse_content_config(example["content_generation_params"]["content_config"])

    job = await load_job(services, job_id)
    assert job.external_tracking_id == example["external_tracking_id"]
    assert job.prompt_tokens == 0  # offline: no provider tokens
    progress = [e.data for e in await events_of(services, job_id) if e.data and "product_id" in e.data]
    assert progress == [{"product_id": PRODUCT_ID, "status": "completed"}]


@pytest.mark.provider("openai")
async def test_example_with_openai_provider(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    job_id, result = await generate(client, workspace, example)
    entry = assert_documented_shape(result, example)
    assert_rules_met(entry, example)

    generation = [r for r in fake_openai.requests if r.schema_name == "product_content"]
    assert len(generation) == 1  # one structured call writes every content type
    request = generation[0]
    assert request.schema is not None
    assert request.schema["required"] == ["title", "bullets", "desc"]
    assert request.schema["properties"]["bullets"]["type"] == "array"
    assert request.model == "gpt-4o-mini"  # the deployment default: the request names no model
    # Everything in the params reaches the prompt.
    prompt = request.prompt
    for expected in (
        "TechStore",
        "shopper barrier",
        "Informal but professional",
        "Explore the endless potential",
        "At most 100 characters",
        "An innovative product that exceeded my expectations!",
        "A verbatim disclaimer that corresponds to the 'Claim' and must be included at the end of the description",
        "Some Gadget",
        "Black",
        "Format the bullet points as concise sentence fragments without verbs.",
        "Never use ALL CAPS in your product titles.",
    ):
        assert expected in prompt, expected

    job = await load_job(services, job_id)
    assert job.prompt_tokens > 0 and job.completion_tokens > 0
    async with services.read() as session:
        [totals] = await AiUsageRepository(session).totals(workspace.workspace_id)
    assert (totals.model, totals.prompt_tokens) == ("gpt-4o-mini", job.prompt_tokens)


@pytest.mark.provider("openai")
async def test_documented_model_name_is_used(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    await generate(client, workspace, {**example, "generation_model_name": "gpt-4.1"})
    assert {r.model for r in fake_openai.requests} == {"gpt-4.1"}
