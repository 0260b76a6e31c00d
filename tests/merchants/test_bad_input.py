"""Every documented validation rule of import-links and fill: 422 in the store's own body (every problem at once),
nothing written, no job queued, no credits spent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.accounts.credits import CreditsService
from domain.catalog.models import Category
from resolvers.context import AppServices
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import connect, counts
from tests.store.conftest import auth
from tests.support.factories import WorkspaceInfo, make_workspace

MERCHANTS = "Use one of: amazon, aliexpress, ebay, etsy, walmart."
AMAZON = "ae, au, be, br, ca, de, eg, es, fr, gb, in, it, jp, mx, nl, pl, sa, se, sg, tr, us"


@pytest.fixture
async def paying(services: AppServices, merchant: FakeMerchant, feed_dir: Path) -> WorkspaceInfo:
    ws = await make_workspace(services, name="Paying", plan="pro", credits=40)
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, ws, "amazon", "feed", {"source": "amazon.csv"})
    async with services.unit_of_work() as uow:
        uow.session.add(Category(workspace_id=ws.workspace_id, slug="audio", title="Audio"))
    return ws


async def _refused(
    client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo, path: str, body: Any, *, raw: bool = False
) -> dict[str, Any]:
    before = await counts(services, ws.workspace_id)
    async with services.read() as session:
        credits = (await CreditsService(session, services.plans).balance(ws.workspace_id)).total
    headers = auth(ws.api_key)
    if raw:
        response = await client.post(path, content=body, headers={**headers, "content-type": "application/json"})
    else:
        response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert await counts(services, ws.workspace_id) == before
    async with services.read() as session:
        assert (await CreditsService(session, services.plans).balance(ws.workspace_id)).total == credits
    found: dict[str, Any] = response.json()
    assert set(found) == {"message", "errors"}
    return found


FILL_CASES = [
    (
        {"api_name": "bestbuy", "locale": "us"},
        {"api_name": [f"The selected api name is invalid. {MERCHANTS}"]},
    ),
    (
        {"api_name": "amazon", "locale": "xx"},
        {"locale": [f"The selected locale is invalid. Use one of: {AMAZON}."]},
    ),
    ({"api_name": "ebay", "locale": "zz"}, None),
    (
        {"api_name": "amazon", "locale": "us", "categories": list(range(1, 52))},
        {"categories": ["The categories field must not have more than 50 items."]},
    ),
    (
        {"api_name": "amazon", "locale": "us", "quantity": 51},
        {"quantity": ["The quantity field must be between 1 and 50."]},
    ),
    (
        {"api_name": "amazon", "locale": "us", "quantity": 0},
        {"quantity": ["The quantity field must be between 1 and 50."]},
    ),
    ({"api_name": "amazon", "locale": "us", "quantity": "5"}, {"quantity": ["The quantity field must be an integer."]}),
    ({}, {"api_name": ["The api name field is required."], "locale": ["The locale field is required."]}),
    (
        {"api_name": None, "locale": "  "},
        {"api_name": ["The api name field is required."], "locale": ["The locale field is required."]},
    ),
    (
        {"api_name": "amazon", "locale": "us", "categories": [999999]},
        {"categories.0": ["The selected categories.0 is invalid."]},
    ),
    (
        {"api_name": "amazon", "locale": "us", "categories": "1,2"},
        {"categories": ["The categories field must be an array of integers."]},
    ),
    (
        {"api_name": "amazon", "locale": "us", "generate_content": "maybe"},
        {"generate_content": ["The generate content field must be true or false."]},
    ),
]


@pytest.mark.parametrize(("body", "errors"), FILL_CASES)
async def test_fill_rules(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo, body: dict[str, Any], errors: Any
) -> None:
    found = await _refused(client, services, paying, "/api/categories/fill", body)
    if errors is not None:
        assert found["errors"] == errors
    else:
        assert set(found["errors"]) == {"locale", "api_name"}  # eBay has no zz marketplace, and is not connected


async def test_fill_reports_every_problem_at_once(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo
) -> None:
    body = {"api_name": "amazon", "locale": "us", "quantity": 99, "categories": list(range(1, 60))}
    found = await _refused(client, services, paying, "/api/categories/fill", body)
    assert set(found["errors"]) == {"quantity", "categories"}
    assert found["message"].endswith("(and 1 more error)")
    body = {"api_name": "ebay", "locale": "fr", "categories": [999999]}  # not connected, and no such category
    found = await _refused(client, services, paying, "/api/categories/fill", body)
    assert set(found["errors"]) == {"api_name", "categories.0"}
    assert "eBay is not connected" in found["errors"]["api_name"][0]


IMPORT_CASES = [
    ({}, {"links": ["The links field is required."]}),
    ({"links": None}, {"links": ["The links field is required."]}),
    ({"links": []}, {"links": ["The links field must be a non-empty array of strings."]}),
    ({"links": "B07XJ8C8F5"}, {"links": ["The links field must be a non-empty array of strings."]}),
    ({"links": ["B07XJ8C8F5", 42]}, {"links": ["The links field must be a non-empty array of strings."]}),
    ({"links": ["B07XJ8C8F5"] * 101}, {"links": ["The links field must not have more than 100 items."]}),
    ({"links": ["B07XJ8C8F5"], "categories": [999999]}, {"categories.0": ["The selected categories.0 is invalid."]}),
    (
        {"links": ["B07XJ8C8F5"], "categories": [0]},
        {"categories": ["The categories field must be an array of integers."]},
    ),
]


@pytest.mark.parametrize(("body", "errors"), IMPORT_CASES)
async def test_import_rules(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo, body: dict[str, Any], errors: Any
) -> None:
    found = await _refused(client, services, paying, "/api/products/import-links", body)
    assert found["errors"] == errors


@pytest.mark.parametrize("path", ["/api/products/import-links", "/api/categories/fill"])
async def test_malformed_json(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo, path: str
) -> None:
    found = await _refused(client, services, paying, path, b'{"links": ["B07XJ8C8F5"', raw=True)
    assert found["message"]


async def test_garbage_links_alone_queue_an_empty_job_and_are_reported(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo
) -> None:
    response = await client.post(
        "/api/products/import-links", json={"links": ["nope", "B07XJ8C8F5"]}, headers=auth(paying.api_key)
    )
    assert response.status_code == 202
    body = response.json()["data"]
    assert (body["importing"], body["failed"]) == (1, 1)
    assert body["links"][0]["status"] == "failed"


async def test_read_only_key_is_refused(
    client: httpx.AsyncClient, services: AppServices, paying: WorkspaceInfo
) -> None:
    from tests.store.conftest import make_key

    key = await make_key(services, paying, ["products:read", "categories:read"])
    for path, body in (
        ("/api/products/import-links", {"links": ["B07XJ8C8F5"]}),
        ("/api/categories/fill", {"api_name": "amazon", "locale": "us"}),
    ):
        response = await client.post(path, json=body, headers=auth(key))
        assert response.status_code == 403
        assert response.json() == {"message": "This token does not have write access."}
