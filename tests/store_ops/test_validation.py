"""Every documented rule of the AI operations' input: a 422 in the store's words naming each bad field, and
nothing written (no job, no credits spent). Operations that need a provider are refused offline (503)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.store_ops.conftest import STARTING_CREDITS, balance, job_count
from tests.support.factories import make_workspace

LONG = "x" * 256

CASES: list[tuple[str, Any, dict[str, str]]] = [
    # generate-list: niche required, at most 255; max_categories 1..20; max_subcategories 0..10
    ("/api/categories/generate-list", {}, {"niche": "The niche field is required."}),
    ("/api/categories/generate-list", {"niche": "   "}, {"niche": "The niche field is required."}),
    ("/api/categories/generate-list", {"niche": None}, {"niche": "The niche field is required."}),
    (
        "/api/categories/generate-list",
        {"niche": LONG},
        {"niche": "The niche field must not be greater than 255 characters."},
    ),
    ("/api/categories/generate-list", {"niche": 12}, {"niche": "The niche field must be a string."}),
    (
        "/api/categories/generate-list",
        {"niche": "cameras", "max_categories": 0},
        {"max_categories": "The max categories field must be between 1 and 20."},
    ),
    (
        "/api/categories/generate-list",
        {"niche": "cameras", "max_categories": 21},
        {"max_categories": "The max categories field must be between 1 and 20."},
    ),
    (
        "/api/categories/generate-list",
        {"niche": "cameras", "max_categories": "many"},
        {"max_categories": "The max categories field must be an integer."},
    ),
    (
        "/api/categories/generate-list",
        {"niche": "cameras", "max_subcategories": -1},
        {"max_subcategories": "The max subcategories field must be between 0 and 10."},
    ),
    (
        "/api/categories/generate-list",
        {"niche": "cameras", "max_subcategories": 11},
        {"max_subcategories": "The max subcategories field must be between 0 and 10."},
    ),
    # clean brands: niche at most 255, keep_top 1..50
    ("/api/brands/clean", {"niche": LONG}, {"niche": "The niche field must not be greater than 255 characters."}),
    ("/api/brands/clean", {"keep_top": 0}, {"keep_top": "The keep top field must be between 1 and 50."}),
    ("/api/brands/clean", {"keep_top": 51}, {"keep_top": "The keep top field must be between 1 and 50."}),
    ("/api/brands/clean", {"keep_top": 2.5}, {"keep_top": "The keep top field must be an integer."}),
    # pick-logo-icon and generate-logo: niche required, at most 255
    ("/api/store/pick-logo-icon", {}, {"niche": "The niche field is required."}),
    (
        "/api/store/pick-logo-icon",
        {"niche": LONG},
        {"niche": "The niche field must not be greater than 255 characters."},
    ),
    ("/api/store/generate-logo", {}, {"niche": "The niche field is required."}),
    ("/api/store/generate-logo", {"niche": ""}, {"niche": "The niche field is required."}),
    (
        "/api/store/generate-logo",
        {"niche": LONG},
        {"niche": "The niche field must not be greater than 255 characters."},
    ),
    # article topics: count 1..10
    ("/api/articles/generate-topics", {"count": 0}, {"count": "The count field must be between 1 and 10."}),
    ("/api/articles/generate-topics", {"count": 11}, {"count": "The count field must be between 1 and 10."}),
    ("/api/articles/generate-topics", {"count": True}, {"count": "The count field must be an integer."}),
]


@pytest.mark.provider("openai")
@pytest.mark.parametrize(("path", "body", "errors"), CASES)
async def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    client, services, workspace, h, fake_openai, path, body, errors
):
    r = await client.post(path, json=body, headers=h)
    assert r.status_code == 422, r.text
    got = r.json()
    assert got["errors"] == {field: [message] for field, message in errors.items()}
    assert got["message"] == next(iter(errors.values()))
    assert await job_count(services, workspace) == 0
    assert await balance(services, workspace) == STARTING_CREDITS
    assert fake_openai.calls == 0


@pytest.mark.provider("openai")
async def test_every_bad_field_is_reported_at_once(client, services, workspace, h):
    r = await client.post(
        "/api/categories/generate-list", json={"max_categories": 30, "max_subcategories": 12}, headers=h
    )
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"niche", "max_categories", "max_subcategories"}
    assert "(and 2 more errors)" in r.json()["message"]


@pytest.mark.provider("openai")
@pytest.mark.parametrize(
    "path",
    [
        "/api/categories/generate-list",
        "/api/brands/clean",
        "/api/store/pick-logo-icon",
        "/api/store/generate-logo",
        "/api/articles/generate-topics",
    ],
)
async def test_malformed_json_is_refused(client, services, workspace, h, path):
    r = await client.post(path, content=b'{"niche": "cameras"', headers={**h, "content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == {} and "JSON" in r.json()["message"]
    assert await job_count(services, workspace) == 0


async def test_text_operations_need_a_provider_offline(client, services, workspace, h):
    for path, body in (
        ("/api/categories/generate-list", {"niche": "vintage cameras"}),
        ("/api/store/regenerate-stock-texts", None),
        ("/api/articles/generate-topics", {"count": 2}),
    ):
        r = await client.post(path, json=body, headers=h)
        assert r.status_code == 503, (path, r.text)
        assert "needs an AI provider" in r.json()["message"]
    assert await job_count(services, workspace) == 0
    assert await balance(services, workspace) == STARTING_CREDITS


async def test_a_read_only_key_cannot_run_them(client, services, workspace):
    async with services.unit_of_work() as uow:
        key = await services.accounts(uow.session).create_api_key(workspace.principal, name="ro", scopes=["read"])
    headers = {"Authorization": f"Bearer {key.plaintext}"}
    for path in ("/api/brands/clean", "/api/store/pick-logo-icon", "/api/store/generate-logo"):
        r = await client.post(path, json={"niche": "tea"}, headers=headers)
        assert r.status_code == 403, (path, r.text)
    assert await job_count(services, workspace) == 0


async def test_no_key_is_unauthorized(client):
    r = await client.post("/api/brands/clean", json={})
    assert r.status_code == 401
    assert r.json() == "Unauthorized."


@pytest.mark.provider("openai")
async def test_too_few_credits_is_a_402_and_nothing_is_queued(client, services, fake_openai):
    broke = await make_workspace(services, name="Broke shop", plan="pro", credits=0)
    headers = {"Authorization": f"Bearer {broke.api_key}"}
    r = await client.post("/api/categories/generate-list", json={"niche": "vintage cameras"}, headers=headers)
    assert r.status_code == 402, r.text
    assert "credit" in r.json()["message"].lower()
    assert await job_count(services, broke) == 0
    assert fake_openai.calls == 0
    r = await client.post("/api/store/generate-logo", json={"niche": "tea"}, headers=headers)
    assert r.status_code == 402, r.text
    # with no brands there is nothing to classify: no call, no cost, so it runs
    r = await client.post("/api/brands/clean", json={}, headers=headers)
    assert r.status_code == 200 and r.headers["X-Credits-Charged"] == "0"
    assert fake_openai.calls == 0


@pytest.mark.provider("openai")
@pytest.mark.parametrize(
    "path", ["/api/categories/generate-list", "/api/store/pick-logo-icon", "/api/store/generate-logo"]
)
async def test_no_body_is_the_missing_niche(client, services, workspace, h, path):
    r = await client.post(path, headers=h)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == {"niche": ["The niche field is required."]}
    assert await job_count(services, workspace) == 0
