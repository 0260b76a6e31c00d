"""Review fixes in the pipeline: a variant group's prompt keeps the facts its variants share, and a request
whose every type is skipped makes no provider call."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from domain.ai.repository import AiUsageRepository
from domain.content.config_schema import validate_content_config
from domain.content.offline import compose
from domain.content.products import from_request
from domain.content.prompt import build_prompt
from domain.content.spec import build_spec
from resolvers.context import AppServices
from tests.content.helpers import generate, submit, wait_status
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI, Reply, default_answer
from tests.support.jobs import events_of, load_job


def test_group_prompt_keeps_shared_facts_only(example: dict[str, Any]) -> None:
    config = validate_content_config(example["content_generation_params"]["content_config"])
    config["client"]["validation_entities"] = ["PRODUCT_NAME", "SIZE", "COLOR"]
    spec = build_spec(["title", "desc"], config)
    black = copy.deepcopy(example["products"][0])
    black["attributes"].append({"name": "size", "value": "Large"})
    red = copy.deepcopy(black)
    red["product_id"] = "2"
    red["attributes"] = [a if a["name"] != "colour" else {"name": "colour", "value": "Red"} for a in red["attributes"]]

    single = build_prompt([from_request(black)], spec, market="uk", channel=None, language="en").user
    assert "- the colour is Black" in single and "- the size is Large" in single

    group = build_prompt([from_request(black), from_request(red)], spec, market="uk", channel=None, language="en").user
    assert "- the product name is QuantumTech Gadget" in group  # shared by both variants
    assert "- the size is Large" in group
    assert "- the colour is" not in group  # differs: the writer uses the {{variant.Colour}} placeholder
    assert "{{variant.Colour}}" in group


@pytest.mark.provider("openai")
async def test_only_skipped_types_make_no_provider_call(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    body = copy.deepcopy(example)
    body["content_generation_params"]["content_types"] = ["howtouse"]  # the example's client block skips it
    _, result = await generate(client, workspace, body)
    entry = result["1234567890001"]
    assert entry["content"] == {}
    assert [(w["content_type"], w["code"]) for w in entry["warnings"]] == [("howtouse", "SKIPPED_CONTENT_TYPE")]
    assert fake_openai.requests == []


@pytest.mark.provider("openai")
async def test_progress_per_product_only_moves_forward(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    body = copy.deepcopy(example)
    body["skip_grouping"] = True
    ids = [f"12345678900{i:02d}" for i in range(1, 9)]
    body["products"] = [{**copy.deepcopy(example["products"][0]), "product_id": i} for i in ids]
    delays = iter([0.08, 0.01, 0.05, 0.0, 0.07, 0.02, 0.06, 0.03] * 2)  # uneven finishing order
    fake_openai.handler = lambda request: Reply(data=default_answer(request), delay=next(delays, 0.0))
    job_id, result = await generate(client, workspace, body)
    assert list(result) == ids
    events = [e for e in await events_of(services, job_id) if e.data and "product_id" in e.data]
    assert sorted(e.data["product_id"] for e in events if e.data) == sorted(ids)
    progress = [e.progress for e in sorted(events, key=lambda e: e.seq)]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert [e.message for e in events][-1].endswith("(8 of 8).")  # type: ignore[union-attr]


def test_offline_composer_never_offers_claims_or_omitted_words_as_keywords(example: dict[str, Any]) -> None:
    raw = copy.deepcopy(example["products"][0])
    raw["keywords"] = {"generic": ["gadget"], "legal": ["Certified by nobody"], "banned": ["cheap"]}
    config = validate_content_config(example["content_generation_params"]["content_config"])
    config["content_types"]["desc"]["keyword_groups"] = {"verbatim_must_claims": ["legal"]}
    config["content_types"]["bullets"]["keyword_groups"] = {"omit": ["banned"]}
    config["content_types"]["title"]["keyword_groups"] = {}
    spec = build_spec(["title", "bullets", "desc"], config)
    content = compose([from_request(raw)], spec)
    bullets = " ".join(content["bullets"])
    assert "gadget" in bullets
    assert "cheap" not in bullets and "cheap" not in str(content["desc"])
    assert str(content["desc"]).count("Certified by nobody") <= 1  # only as the claim itself, never as a keyword
    assert "Certified by nobody" not in bullets


@pytest.mark.provider("openai")
async def test_tokens_spent_before_a_failure_are_still_recorded(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    body = copy.deepcopy(example)
    body["skip_grouping"] = True
    body["products"].append({**copy.deepcopy(example["products"][0]), "product_id": "1234567890002"})
    fake_openai.script(Reply(data={"title": "Gadget", "bullets": ["One."], "desc": "A gadget."}, usage=(120, 30)))
    fake_openai.handler = lambda request: Reply(status=500)  # every later call fails
    response = await submit(client, workspace, body)
    job_id = response.json()["job_id"]
    assert (await wait_status(client, workspace, job_id))["status"] == "failed"
    job = await load_job(services, job_id)
    assert (job.prompt_tokens, job.completion_tokens) == (120, 30)  # the product that was written
    async with services.read() as session:
        [totals] = await AiUsageRepository(session).totals(workspace.workspace_id)
    assert (totals.prompt_tokens, totals.completion_tokens) == (120, 30)
