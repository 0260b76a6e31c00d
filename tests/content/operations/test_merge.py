"""Merging content configurations: the document's example as it stands, the merge rule (content generation's
deep_merge, later wins) with a warning per conflict, routes beside /content-configs/{config_id}, bad input."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from domain.content.config_schema import deep_merge
from domain.content.merge import MergeSource, merge_configs
from domain.content.models import ContentConfig
from resolvers.context import AppServices
from tests.content.operations.helpers import CONFIGS, MERGE_JOBS, merge_example, row_counts, wait_job
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI

EXAMPLE_CONFIG_ID = "8a6953e1-cc2b-4be6-8d8b-f0a87daf7334"  # the saved configuration the example names


async def save_config(
    services: AppServices, ws: WorkspaceInfo, config_id: str, name: str, config: dict[str, Any]
) -> None:
    """A saved configuration with a given id (the API picks ids itself; the example names one)."""
    now = datetime.now(UTC)
    async with services.unit_of_work() as uow:
        uow.session.add(
            ContentConfig(
                id=config_id,
                workspace_id=ws.workspace_id,
                name=name,
                description=None,
                scope="PRIVATE",
                content_config=config,
                created_at=now,
                updated_at=now,
            )
        )


async def merged(client: httpx.AsyncClient, ws: WorkspaceInfo, body: Any) -> dict[str, Any]:
    response = await client.post(MERGE_JOBS, json=body, headers=ws.headers())
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["job_id"]
    job_id = response.json()["job_id"]
    assert await wait_job(client, ws, f"{MERGE_JOBS}/{job_id}/status") == "completed"
    status = await client.get(f"{MERGE_JOBS}/{job_id}/status", headers=ws.headers())
    assert status.json() == {"status": "completed", "message": "The job has completed successfully."}
    result = await client.get(f"{MERGE_JOBS}/{job_id}/result", headers=ws.headers())
    assert result.status_code == 200, result.text
    data: dict[str, Any] = result.json()
    assert list(data) == ["content_config", "warnings"]
    return data


async def run_example(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    example = merge_example()
    saved = {
        "word_map": {"Foo": "Baz", "colour": "color"},
        "content_types": {"title": {"character_limit": 80}, "howtouse": {"task": "Explain how to use it."}},
    }
    await save_config(services, workspace, EXAMPLE_CONFIG_ID, "saved", saved)
    data = await merged(client, workspace, example)
    inline = example["content_config"][0]
    config = data["content_config"]
    # The inline configuration, with the saved one on top: objects merged key by key, the later value wins.
    assert config == deep_merge(inline, saved)
    assert list(config)[:3] == ["guidelines", "guidelines_shortener", "restrictions"]  # the document's order
    assert config["word_map"] == {"Foo": "Baz", "colour": "color"}
    assert config["content_types"]["title"]["character_limit"] == 80
    assert config["content_types"]["title"]["task"] == "Write a title for the product..."
    assert config["content_types"]["howtouse"] == {"task": "Explain how to use it."}
    conflicts = {w["field"]: w for w in data["warnings"]}
    assert set(conflicts) == {"word_map.Foo", "content_types.title.character_limit"}
    limit = conflicts["content_types.title.character_limit"]
    assert limit["code"] == "CONFLICT" and limit["winner"] == 1 and limit["overridden"] == [0]
    assert "content_config[1] (saved configuration 'saved')" in limit["description"]


async def test_the_documented_example_is_merged(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    await run_example(client, services, workspace)


@pytest.mark.provider("openai")
async def test_the_documented_example_with_a_provider_configured(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    await run_example(client, services, workspace)
    assert fake_openai.calls == 0  # merging is rules, not a model's guess


async def test_saved_configurations_by_name_and_built_in(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    created = await client.post(
        CONFIGS,
        json={"name": "laptops", "content_config": {"content_types": {"title": {"character_limit": 90}}}},
        headers=workspace.headers(),
    )
    assert created.status_code == 201
    data = await merged(client, workspace, {"content_config": ["default", "laptops"]})
    types = data["content_config"]["content_types"]
    assert types["title"]["character_limit"] == 90 and types["desc"]["character_limit"] == 1000
    assert [(w["field"], w["winner"], w["overridden"]) for w in data["warnings"]] == [
        ("content_types.title.character_limit", 1, [0])
    ]


def test_conflicts_name_every_configuration_that_lost() -> None:
    sources = [
        MergeSource(content_config={"guidelines": ["a"], "word_map": {"x": "1"}}),
        MergeSource(content_config={"guidelines": ["a"], "word_map": {"x": "2", "y": "3"}}),
        MergeSource(content_config={"word_map": {"x": "4"}, "tone": {"B": {"k": "v"}}}),
        MergeSource(content_config={"tone": {"B": {"k": "v"}}, "client": {"forbidden_words": ["z"]}}),
        MergeSource(content_config={"guidelines": ["b"]}),
    ]
    config, warnings = merge_configs(sources)
    expected: dict[str, Any] = {}
    for source in sources:
        expected = deep_merge(expected, source.content_config)
    assert (
        config
        == expected
        == {
            "guidelines": ["b"],
            "word_map": {"x": "4", "y": "3"},
            "tone": {"B": {"k": "v"}},
            "client": {"forbidden_words": ["z"]},
        }
    )
    # Equal values are no conflict (both set it); x was set by 0, replaced by 1, then by 2.
    assert [(w.field, w.winner, w.overridden) for w in warnings] == [
        ("word_map.x", 1, [0]),
        ("word_map.x", 2, [1]),
        ("guidelines", 4, [0, 1]),
    ]


def test_an_object_replaced_by_a_value_names_everything_it_held() -> None:
    sources = [
        MergeSource(content_config={"keyword_groups": {"must": ["a"]}}),
        MergeSource(content_config={"keyword_groups": {"omit": ["b"]}}),
        MergeSource(content_config={"keyword_groups": {"must": ["c"], "omit": ["b"]}}),
    ]
    _, warnings = merge_configs(sources)
    assert [(w.field, w.winner, w.overridden) for w in warnings] == [("keyword_groups.must", 2, [0])]


async def test_merge_routes_do_not_shadow_configuration_routes(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    created = await client.post(CONFIGS, json={"name": "merge", "content_config": {}}, headers=workspace.headers())
    assert created.status_code == 201
    config_id = created.json()["config_id"]
    one = await client.get(f"{CONFIGS}/{config_id}", headers=workspace.headers())
    assert one.status_code == 200 and one.json()["name"] == "merge"
    data = await merged(client, workspace, {"content_config": [{"word_map": {"a": "b"}}, config_id]})
    assert data["content_config"] == {"word_map": {"a": "b"}}
    # A job id under /merge/jobs is not a configuration id, and a configuration id is not a merge job.
    missing = await client.get(f"{MERGE_JOBS}/{config_id}/status", headers=workspace.headers())
    assert missing.status_code == 404 and missing.json() == {"code": "not_found", "message": "Job not found."}
    listed = await client.get(CONFIGS, headers=workspace.headers())
    assert listed.status_code == 200 and "merge" in [c["name"] for c in listed.json()]


def _without(body: dict[str, Any], count: int) -> dict[str, Any]:
    out = copy.deepcopy(body)
    out["content_config"] = [{"word_map": {"a": str(i)}} for i in range(count)]
    return out


BAD: list[tuple[str, Any, str]] = [
    ("one configuration", {"content_config": [{}]}, "content_config"),
    ("six configurations", _without({}, 6), "content_config"),
    ("no configurations", {"content_config": []}, "content_config"),
    ("missing content_config", {"external_tracking_id": "x"}, "content_config"),
    ("unknown config id", {"content_config": [{}, str(uuid.uuid4())]}, "content_config[1]"),
    ("unknown config name", {"content_config": ["nosuchname", {}]}, "content_config[0]"),
    ("a number", {"content_config": [{}, 5]}, "content_config[1]"),
    ("an invalid configuration", {"content_config": [{}, {"word_map": {"a": 1}}]}, "content_config[1].word_map.a"),
    ("a misspelt rule", {"content_config": [{"gudelines": []}, {}]}, "content_config[0].gudelines"),
    ("unknown field", {"content_config": [{}, {}], "merge_mode": "x"}, "merge_mode"),
    ("bad callback_url", {"content_config": [{}, {}], "callback_url": "ftp://x"}, "callback_url"),
    ("empty tracking id", {"content_config": [{}, {}], "external_tracking_id": ""}, "external_tracking_id"),
]


@pytest.mark.parametrize(("label", "body", "field"), BAD, ids=[b[0] for b in BAD])
async def test_bad_merge_requests_are_refused_and_write_nothing(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, label: str, body: Any, field: str
) -> None:
    before = await row_counts(services)
    response = await client.post(MERGE_JOBS, json=body, headers=workspace.headers())
    assert response.status_code == 400, (label, response.text)
    data = response.json()
    assert data["code"] == "bad_request" and data["message"].startswith("Invalid request body: ")
    assert field in data["errors"], (label, data)
    assert await row_counts(services) == before


async def test_malformed_json_and_another_workspaces_job(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    before = await row_counts(services)
    raw = await client.post(
        MERGE_JOBS, content=b'{"content_config": [', headers={**workspace.headers(), "content-type": "application/json"}
    )
    assert raw.status_code == 400 and raw.json()["code"] == "invalid_json" and raw.json()["message"]
    assert await row_counts(services) == before
    data = await merged(client, workspace, {"content_config": [{}, {"guidelines": ["g"]}]})
    assert data == {"content_config": {"guidelines": ["g"]}, "warnings": []}
    listed = await client.get("/brandbrain/jobs", headers=workspace.headers())
    job_id = listed.json()["items"][0]["job_id"]
    for suffix in ("status", "result"):
        response = await client.get(f"{MERGE_JOBS}/{job_id}/{suffix}", headers=other_workspace.headers())
        assert response.status_code == 404 and response.json() == {"code": "not_found", "message": "Job not found."}
    generation = await client.get(f"/brandbrain/content-generation/jobs/{job_id}/status", headers=workspace.headers())
    assert generation.status_code == 404  # a merge job is not a content generation job


async def test_graphql_merge_and_typed_result(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    mutation = """mutation($input: MergeContentConfigsInput!) { mergeContentConfigs(input: $input) {
        job { jobId kind } userErrors { field code message } } }"""
    bad = await client.post(
        "/graphql",
        json={"query": mutation, "variables": {"input": {"contentConfigs": [{}]}}},
        headers=workspace.headers(),
    )
    payload = bad.json()["data"]["mergeContentConfigs"]
    assert payload["job"] is None and payload["userErrors"][0]["field"] == "content_config"
    variables = {
        "input": {"contentConfigs": [{"word_map": {"a": "b"}}, {"word_map": {"a": "c"}}], "externalTrackingId": "t-1"}
    }
    good = await client.post("/graphql", json={"query": mutation, "variables": variables}, headers=workspace.headers())
    job = good.json()["data"]["mergeContentConfigs"]["job"]
    assert job["kind"] == "content.config_merge"
    assert await wait_job(client, workspace, f"{MERGE_JOBS}/{job['jobId']}/status") == "completed"
    query = """query($id: ID!) { contentConfigMergeResult(jobId: $id) { status contentConfig
        warnings { code field winner overridden description } } }"""
    result = await client.post(
        "/graphql", json={"query": query, "variables": {"id": job["jobId"]}}, headers=workspace.headers()
    )
    data = result.json()["data"]["contentConfigMergeResult"]
    assert data["status"] == "COMPLETED" and data["contentConfig"] == {"word_map": {"a": "c"}}
    assert data["warnings"][0]["field"] == "word_map.a" and data["warnings"][0]["winner"] == 1
