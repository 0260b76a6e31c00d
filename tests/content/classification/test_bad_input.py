"""Bad classification input answers 4xx ``{"code","message"}`` and writes nothing (no job, no usage row)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.classification.examples import JOB_EXAMPLE, JOBS, SYNC, SYNC_EXAMPLE, classify_job, written
from tests.content.helpers import generate
from tests.support.factories import WorkspaceInfo

Change = Callable[[dict[str, Any]], None]


def _set(key: str, value: Any) -> Change:
    def change(product: dict[str, Any]) -> None:
        product[key] = value

    return change


def _drop(key: str) -> Change:
    def change(product: dict[str, Any]) -> None:
        del product[key]

    return change


ATTRIBUTE = {"name": "colour", "value": "Black"}

# (what is wrong, change to the product, field path as reported for the synchronous body)
PRODUCT_CASES: list[tuple[str, Change, str]] = [
    ("name over 128", _set("product_name", "x" * 129), "product_name"),
    ("empty name", _set("product_name", ""), "product_name"),
    ("missing name", _drop("product_name"), "product_name"),
    ("description over 512", _set("product_description", "y" * 513), "product_description"),
    ("empty description", _set("product_description", ""), "product_description"),
    ("no attributes", _set("product_attributes", []), "product_attributes"),
    ("17 attributes", _set("product_attributes", [ATTRIBUTE] * 17), "product_attributes"),
    ("attribute without value", _set("product_attributes", [{"name": "colour"}]), "product_attributes[0].value"),
    ("attribute name empty", _set("product_attributes", [{"name": "", "value": "x"}]), "product_attributes[0].name"),
    ("name not a string", _set("product_name", 42), "product_name"),
    ("unknown field", _set("product_colour", "red"), "product_colour"),
]


@pytest.mark.parametrize(("case", "change", "field"), PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES])
async def test_sync_product_problems(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices, case: str, change: Change, field: str
) -> None:
    before = await written(services)
    body = copy.deepcopy(SYNC_EXAMPLE)
    change(body)
    response = await client.post(SYNC, json=body, headers=workspace.headers())
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["code"] == "bad_request" and answer["message"].startswith("Invalid request body: ")
    assert field in answer["errors"], answer
    assert await written(services) == before


@pytest.mark.parametrize(("case", "change", "field"), PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES])
async def test_job_product_problems(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices, case: str, change: Change, field: str
) -> None:
    before = await written(services)
    body = copy.deepcopy(JOB_EXAMPLE)
    change(body["product"])
    response = await client.post(JOBS, json=body, headers=workspace.headers())
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request"
    assert f"product.{field}" in response.json()["errors"]
    assert await written(services) == before


# (what is wrong, the top-level field, its value)
REQUEST_CASES: list[tuple[str, str, Any]] = [
    ("unknown channel", "channel", "amazon"),
    ("channel in capitals", "channel", "GPC"),
    ("malformed locale", "locale", "english"),
    ("unknown language", "locale", "xx-GB"),
    ("private-use region", "locale", "en-QQ"),
    ("language without taxonomy", "locale", "de-DE"),
    ("empty locale", "locale", ""),
]


@pytest.mark.parametrize(("case", "key", "value"), REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES])
@pytest.mark.parametrize("path", [SYNC, JOBS], ids=["sync", "job"])
async def test_channel_and_locale(
    client: httpx.AsyncClient,
    workspace: WorkspaceInfo,
    services: AppServices,
    path: str,
    case: str,
    key: str,
    value: Any,
) -> None:
    before = await written(services)
    body = {**(SYNC_EXAMPLE if path == SYNC else JOB_EXAMPLE), key: value}
    response = await client.post(path, json=body, headers=workspace.headers())
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request" and key in response.json()["errors"]
    assert await written(services) == before


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("callback_url", "not a url"),
        ("callback_url", "ftp://example.com/hook"),
        ("external_tracking_id", ""),
        ("product", "Mascara"),
    ],
)
async def test_job_fields(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices, key: str, value: Any
) -> None:
    before = await written(services)
    response = await client.post(JOBS, json={**JOB_EXAMPLE, key: value}, headers=workspace.headers())
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request" and key in response.json()["errors"]
    assert await written(services) == before


async def test_missing_product(client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices) -> None:
    response = await client.post(JOBS, json={"channel": "gpc"}, headers=workspace.headers())
    assert response.status_code == 400 and "product" in response.json()["errors"]
    assert await written(services) == (0, 0)


@pytest.mark.parametrize("path", [SYNC, JOBS], ids=["sync", "job"])
@pytest.mark.parametrize("raw", [b'{"product_name": "Mascara",', b"", b"[1, 2", b"null"])
async def test_malformed_json(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices, path: str, raw: bytes
) -> None:
    headers = {**workspace.headers(), "content-type": "application/json"}
    response = await client.post(path, content=raw, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert {"code", "message"} <= set(response.json())
    assert await written(services) == (0, 0)


async def test_nothing_to_match(client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices) -> None:
    """A product whose words are in no category: 422 unclassifiable, not a made-up category."""
    body = {
        "product_name": "Zyxqu Vorbl 3000",
        "product_description": "Qwrtz plimb ogglefrob.",
        "product_attributes": [{"name": "sku", "value": "ZX-3000"}],
    }
    response = await client.post(SYNC, json=body, headers=workspace.headers())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unclassifiable"
    assert await written(services) == (0, 0)


async def test_read_only_key_may_not_classify(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices
) -> None:
    created = await client.post(
        "/graphql",
        json={"query": 'mutation { createApiKey(input: {name: "ro", scopes: ["read"]}) { secret } }'},
        headers=workspace.headers(),
    )
    key = created.json()["data"]["createApiKey"]["secret"]
    for path, body in ((SYNC, SYNC_EXAMPLE), (JOBS, JOB_EXAMPLE)):
        anonymous = await client.post(path, json=body)
        assert anonymous.status_code == 401 and {"code", "message"} <= set(anonymous.json())
        response = await client.post(path, json=body, headers={"x-api-key": key})
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert await written(services) == (0, 0)


async def test_other_workspaces_job_is_not_found(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    job_id, body = await classify_job(client, workspace, JOB_EXAMPLE)
    assert body["status"] == "completed"
    response = await client.get(f"{JOBS}/{job_id}", headers=other_workspace.headers())
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Job not found."}
    for unknown in (str(uuid.uuid4()), "not-a-uuid"):
        response = await client.get(f"{JOBS}/{unknown}", headers=workspace.headers())
        assert response.status_code == 404 and response.json()["code"] == "not_found"


async def test_another_kinds_job_is_not_found(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    generation_job, _ = await generate(client, workspace, example)
    response = await client.get(f"{JOBS}/{generation_job}", headers=workspace.headers())
    assert response.status_code == 404 and response.json()["code"] == "not_found"
