"""Bad input the first pass did not cover: empty content_types and ids, a refused update that must leave the
stored configuration as it was, and feedback on another workspace's job."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.helpers import CONFIGS, JOBS, counts, generate, submit
from tests.support.factories import WorkspaceInfo


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


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("empty content_types", _no_content_types, "content_generation_params.content_types"),
    ("empty product id", _empty_product_id, "product_ids[1]"),
    ("content type listed twice", _repeated_content_type, "content_generation_params"),
    ("no content_generation_params", _missing_params, "content_generation_params"),
    ("misspelt top-level field", _unknown_top_level_field, "skip_groupng"),
    ("skip_grouping not a boolean", _skip_grouping_not_bool, "skip_grouping"),
    ("empty external_tracking_id", _empty_tracking_id, "external_tracking_id"),
]


@pytest.mark.parametrize(("label", "change", "field"), CASES, ids=[c[0] for c in CASES])
async def test_more_bad_submits_are_refused_and_write_nothing(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    label: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    body = copy.deepcopy(example)
    change(body)
    before = await counts(services)
    response = await submit(client, workspace, body)
    assert response.status_code == 422, (label, response.text)
    assert response.json()["code"] == "bad_request" and response.json()["message"]
    assert field in response.json()["errors"], (label, response.json())
    assert await counts(services) == before


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
        assert response.status_code == 422 and response.json()["code"] == "bad_request", response.text
    stored = (await client.get(f"{CONFIGS}/{config_id}", headers=h)).json()
    assert stored["name"] == "laptops" and stored["content_config"] == {"word_map": {"a": "b"}}
    assert stored["updated_at"] == created.json()["updated_at"]


async def test_feedback_on_another_workspaces_job_is_404_and_writes_nothing(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    other_workspace: WorkspaceInfo,
    example: dict[str, Any],
) -> None:
    job_id, _ = await generate(client, workspace, example)
    before = await counts(services)
    feedback = {
        "product_id": "1234567890001",
        "initial_pdp_content": {"title": "A"},
        "corrected_pdp_content": {"title": "B"},
        "comment_history": [],
    }
    response = await client.post(f"{JOBS}/{job_id}/feedback", json=feedback, headers=other_workspace.headers())
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Job not found."}
    assert await counts(services) == before
