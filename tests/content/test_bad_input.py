"""Bad input is refused with 4xx ``{"code","message"}`` (field paths in ``errors``), and nothing is written."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.helpers import CONFIGS, JOBS, counts, minimal_feedback, submit, wait_status, with_config
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI


def mutate(example: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    change(body)
    return body


def _both(b: dict[str, Any]) -> None:
    b["product_ids"] = ["1"]


def _neither(b: dict[str, Any]) -> None:
    del b["products"]


def _empty_products(b: dict[str, Any]) -> None:
    b["products"] = []


def _empty_ids(b: dict[str, Any]) -> None:
    del b["products"]
    b["product_ids"] = []


def _zero_limit(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"]["content_types"]["title"]["character_limit"] = 0


def _negative_limit(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"]["content_types"]["desc"]["character_limit"] = -5


def _unknown_type(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_types"].append("haiku")


def _malformed_client(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"]["client"]["forbidden_words"] = "shopper barrier"


def _unknown_rule(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"]["content_types"]["title"]["charcter_limit"] = 10


def _bad_family(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"]["client"]["content_type_family_map"]["desc"] = "novel"


def _product_without_attributes(b: dict[str, Any]) -> None:
    b["products"][0]["attributes"] = []


def _duplicate_products(b: dict[str, Any]) -> None:
    b["products"].append(copy.deepcopy(b["products"][0]))


def _object_attribute(b: dict[str, Any]) -> None:
    b["products"][0]["attributes"][0]["value"] = {"nested": True}


def _config_as_list(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config"] = ["title"]


def _unknown_model(b: dict[str, Any]) -> None:
    b["generation_model_name"] = "gpt-2"


def _unknown_saved_config(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_config_id"] = "nosuchconfig"


def _no_content_types(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_types"] = []


def _empty_product_id(b: dict[str, Any]) -> None:
    del b["products"]
    b["product_ids"] = ["123", ""]


def _repeated_content_type(b: dict[str, Any]) -> None:
    b["content_generation_params"]["content_types"].append("title")


def _missing_params(b: dict[str, Any]) -> None:
    del b["content_generation_params"]


def _unknown_top_level_field(b: dict[str, Any]) -> None:
    b["skip_groupng"] = True


def _skip_grouping_not_bool(b: dict[str, Any]) -> None:
    b["skip_grouping"] = "yes"


def _empty_tracking_id(b: dict[str, Any]) -> None:
    b["external_tracking_id"] = ""


CC = "content_generation_params.content_config"


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("both products and product_ids", _both, "body"),
    ("neither products nor product_ids", _neither, "body"),
    ("empty products", _empty_products, "products"),
    ("empty product_ids", _empty_ids, "product_ids"),
    ("character_limit 0", _zero_limit, f"{CC}.content_types.title.character_limit"),
    ("negative character_limit", _negative_limit, f"{CC}.content_types.desc.character_limit"),
    ("unknown content type", _unknown_type, "content_generation_params.content_types[3]"),
    ("malformed client block", _malformed_client, f"{CC}.client.forbidden_words"),
    ("misspelt rule", _unknown_rule, f"{CC}.content_types.title.charcter_limit"),
    ("unknown family", _bad_family, f"{CC}.client.content_type_family_map.desc"),
    ("product without attributes", _product_without_attributes, "products[0].attributes"),
    ("duplicate product ids", _duplicate_products, "body"),
    ("attribute value not a scalar", _object_attribute, "products[0].attributes[0].value"),
    ("content_config a list", _config_as_list, "content_generation_params.content_config"),
    ("unknown model", _unknown_model, "generation_model_name"),
    ("unknown saved configuration", _unknown_saved_config, "content_generation_params.content_config_id"),
    ("empty content_types", _no_content_types, "content_generation_params.content_types"),
    ("empty product id", _empty_product_id, "product_ids[1]"),
    ("content type listed twice", _repeated_content_type, "content_generation_params"),
    ("no content_generation_params", _missing_params, "content_generation_params"),
    ("misspelt top-level field", _unknown_top_level_field, "skip_groupng"),
    ("skip_grouping not a boolean", _skip_grouping_not_bool, "skip_grouping"),
    ("empty external_tracking_id", _empty_tracking_id, "external_tracking_id"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "change", "field"), CASES, ids=[c[0] for c in CASES])
async def test_bad_submit_is_refused_and_writes_nothing(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    label: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    before = await counts(services)
    response = await submit(client, workspace, mutate(example, change))
    assert response.status_code == 400, (label, response.text)
    body = response.json()
    assert body["code"] == "bad_request" and body["message"]
    assert field in body["errors"], (label, body)
    assert await counts(services) == before


async def test_malformed_json_and_non_objects(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await counts(services)
    raw = await client.post(
        JOBS, content=b"{not json", headers={**workspace.headers(), "content-type": "application/json"}
    )
    assert raw.status_code == 400 and set(raw.json()) >= {"code", "message"}
    listed = await submit(client, workspace, [1, 2])
    assert listed.status_code == 400 and listed.json()["code"] == "bad_request"
    assert await counts(services) == before


async def test_unauthenticated_and_read_only(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    before = await counts(services)
    anonymous = await client.post(JOBS, json=example)
    assert anonymous.status_code == 401 and set(anonymous.json()) >= {"code", "message"}
    created = await client.post(
        "/graphql",
        json={"query": 'mutation { createApiKey(input: {name: "ro", scopes: ["read"]}) { secret } }'},
        headers=workspace.headers(),
    )
    secret = created.json()["data"]["createApiKey"]["secret"]
    read_only = await client.post(JOBS, json=example, headers={"x-api-key": secret})
    assert read_only.status_code == 403
    assert read_only.json() == {"code": "forbidden", "message": "This token does not have write access."}
    assert await counts(services) == before


@pytest.mark.parametrize("suffix", ["status", "result", "config"])
async def test_unknown_job_ids_are_404(client: httpx.AsyncClient, workspace: WorkspaceInfo, suffix: str) -> None:
    for job_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = await client.get(f"{JOBS}/{job_id}/{suffix}", headers=workspace.headers())
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Job not found."}


async def test_another_workspaces_job_is_404(
    client: httpx.AsyncClient, other_workspace: WorkspaceInfo, finished_job: str
) -> None:
    for suffix in ("status", "result", "config"):
        response = await client.get(f"{JOBS}/{finished_job}/{suffix}", headers=other_workspace.headers())
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.provider("openai")
async def test_result_before_finished_gives_the_status(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.latency = 0.5  # the job is still running while we ask
    response = await submit(client, workspace, example)
    job_id = response.json()["job_id"]
    early = await client.get(f"{JOBS}/{job_id}/result", headers=workspace.headers())
    assert early.status_code == 409
    body = early.json()
    assert body["code"] == "job_not_completed"
    assert body["detail"]["status"] in ("queued", "processing")
    assert f"The job is {body['detail']['status']}" in body["message"]
    assert (await wait_status(client, workspace, job_id))["status"] == "completed"
    late = await client.get(f"{JOBS}/{job_id}/result", headers=workspace.headers())
    assert late.status_code == 200 and "1234567890001" in late.json()


async def test_bad_feedback_is_refused(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, finished_job: str
) -> None:
    before = await counts(services)
    good = minimal_feedback()
    cases = [
        ({**good, "product_id": "999"}, "product_id"),
        ({k: v for k, v in good.items() if k != "corrected_pdp_content"}, "corrected_pdp_content"),
        ({**good, "initial_pdp_content": {"title": 5}}, "initial_pdp_content"),
        ({**good, "comment_history": [{"content_type": "title"}]}, "comment_history[0]"),
    ]
    for body, field in cases:
        response = await client.post(f"{JOBS}/{finished_job}/feedback", json=body, headers=workspace.headers())
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "bad_request" and field in response.json()["errors"]
    missing = await client.post(f"{JOBS}/{uuid.uuid4()}/feedback", json=good, headers=workspace.headers())
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert await counts(services) == before


BAD_CONFIGS: list[tuple[str, dict[str, Any], str]] = [
    ("upper-case name", {"name": "Laptops", "content_config": {}}, "name"),
    ("name too long", {"name": "a" * 21, "content_config": {}}, "name"),
    ("name with digits", {"name": "laptops2", "content_config": {}}, "name"),
    ("missing name", {"content_config": {}}, "name"),
    ("empty description", {"name": "laptops", "description": "", "content_config": {}}, "description"),
    ("long description", {"name": "laptops", "description": "x" * 257, "content_config": {}}, "description"),
    ("missing content_config", {"name": "laptops"}, "content_config"),
    ("content_config not an object", {"name": "laptops", "content_config": []}, "content_config"),
    (
        "zero character_limit",
        {"name": "laptops", "content_config": {"content_types": {"title": {"character_limit": 0}}}},
        "content_config.content_types.title.character_limit",
    ),
    (
        "word_map of lists",
        {"name": "laptops", "content_config": {"word_map": {"Foo": ["Bar"]}}},
        "content_config.word_map.Foo",
    ),
    (
        "bad content type name",
        {"name": "laptops", "content_config": {"content_types": {"Title!": {"task": "x"}}}},
        "content_config.content_types",
    ),
    ("public scope", {"name": "laptops", "scope": "PUBLIC", "content_config": {}}, "scope"),
]


@pytest.mark.parametrize(("label", "body", "field"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
async def test_bad_configuration_is_refused(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    label: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = await counts(services)
    response = await client.post(CONFIGS, json=body, headers=workspace.headers())
    assert response.status_code == 400, (label, response.text)
    assert response.json()["code"] == "bad_request"
    assert field in response.json()["errors"], (label, response.json())
    assert await counts(services) == before


async def test_bad_scope_filter_and_unknown_config_ids(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    bad = await client.get(CONFIGS, params={"scope": "SECRET"}, headers=workspace.headers())
    assert bad.status_code == 400 and bad.json()["code"] == "bad_request"
    for config_id in (str(uuid.uuid4()), "laptops"):
        for method in ("GET", "PUT", "DELETE"):
            response = await client.request(
                method,
                f"{CONFIGS}/{config_id}",
                json={"name": "x", "content_config": {}} if method == "PUT" else None,
                headers=workspace.headers(),
            )
            assert response.status_code == 404, (method, response.text)
            assert response.json() == {"code": "not_found", "message": "Content configuration not found."}


async def test_saved_config_override_is_validated_after_merge(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    saved = await client.post(
        CONFIGS, json={"name": "base", "content_config": {"word_map": {"a": "b"}}}, headers=workspace.headers()
    )
    assert saved.status_code == 201
    before = await counts(services)
    body = with_config(example, content_types={"title": {"character_limit": "long"}})
    body["content_generation_params"]["content_config_id"] = "base"
    response = await submit(client, workspace, body)
    assert response.status_code == 400
    assert f"{CC}.content_types.title.character_limit" in response.json()["errors"]
    assert await counts(services) == before


async def test_wrong_methods_answer_in_the_dialect(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    for method, path in (("PATCH", f"{CONFIGS}/{uuid.uuid4()}"), ("GET", JOBS), ("DELETE", f"{JOBS}/x/status")):
        response = await client.request(method, path, headers=workspace.headers())
        assert response.status_code == 405, (method, path)
        assert response.json()["code"] == "method_not_allowed" and response.json()["message"]


async def test_refused_update_leaves_the_configuration_unchanged(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    h = workspace.headers()
    created = await client.post(
        CONFIGS, json={"name": "laptops", "content_config": {"word_map": {"a": "b"}}}, headers=h
    )
    config_id = created.json()["config_id"]
    for bad in (
        {"name": "Not Valid", "content_config": {"word_map": {"x": "y"}}},
        {"name": "phones", "content_config": {"content_types": {"title": {"character_limit": 0}}}},
        {"name": "phones", "description": 5, "content_config": {}},
    ):
        response = await client.put(f"{CONFIGS}/{config_id}", json=bad, headers=h)
        assert response.status_code == 400 and response.json()["code"] == "bad_request", response.text
    stored = (await client.get(f"{CONFIGS}/{config_id}", headers=h)).json()
    assert stored["name"] == "laptops" and stored["content_config"] == {"word_map": {"a": "b"}}
    assert stored["updated_at"] == created.json()["updated_at"]


async def test_feedback_on_another_workspaces_job_is_404_and_writes_nothing(
    client: httpx.AsyncClient, services: AppServices, other_workspace: WorkspaceInfo, finished_job: str
) -> None:
    before = await counts(services)
    theirs = other_workspace.headers()
    response = await client.post(f"{JOBS}/{finished_job}/feedback", json=minimal_feedback(), headers=theirs)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Job not found."}
    assert await counts(services) == before
