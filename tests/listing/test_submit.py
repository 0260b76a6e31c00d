"""Submitting image and copy jobs: validated first, priced by the document's tables, debited with the job in
one transaction; and the job as GET /ai/jobs/{jobId} shows it."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image

from resolvers.context import AppServices
from tests.listing.helpers import API, create_product, credits, written
from tests.support.factories import WorkspaceInfo, create_job
from tests.support.jobs import wait_for


@pytest.fixture
async def product(client: httpx.AsyncClient, pro: WorkspaceInfo, image_server: str) -> str:
    created = await create_product(client, pro, f"{image_server}/product.png")
    ref: str = created["id"]
    return ref


@pytest.mark.parametrize(
    ("style", "platform", "size", "cost"),
    [
        ("CLEAN_WHITE_BG", None, None, 4),
        ("LIFESTYLE_CONTEXTUAL", "shopify", 2000, 9),  # the document's example
        ("DIMENSION_SPEC", "general", 1200, 5),
        ("INFOGRAPHIC_FEATURE", "etsy", 1500, 7),
        ("MODEL_LIFESTYLE_INFOGRAPHIC", "amazon", 1000, 11),  # amazon makes 2000 whatever was asked
    ],
)
async def test_an_image_request_is_queued_priced_and_debited(
    client: httpx.AsyncClient,
    pro: WorkspaceInfo,
    product: str,
    held_jobs: list[str],
    style: str,
    platform: str | None,
    size: int | None,
    cost: int,
) -> None:
    body: dict[str, Any] = {"productId": product, "style": style}
    if platform:
        body["platform"] = platform
    if size:
        body["outputSize"] = {"w": size, "h": size}
    response = await client.post(f"{API}/ai/image", json=body, headers=pro.headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["jobId", "status", "creditCost"]
    assert answer["status"] == "queued" and answer["creditCost"] == cost
    assert answer["jobId"].startswith("job_")
    assert held_jobs == [answer["jobId"].removeprefix("job_")]
    assert (await credits(client, pro))["creditsRemaining"] == 100 - cost

    job = await client.get(f"{API}/ai/jobs/{answer['jobId']}", headers=pro.headers())
    assert job.status_code == 200, job.text
    shown = job.json()
    assert shown["id"] == answer["jobId"]
    assert shown["type"] == "image_generation"
    assert shown["status"] == "queued"
    assert shown["creditCost"] == cost
    assert shown["result"] is None and shown["error"] is None
    assert shown["created_at"].endswith("Z") and shown["updated_at"].endswith("Z")


@pytest.mark.parametrize(("platform", "cost"), [("amazon", 10), ("flipkart", 9), ("etsy", 8), (None, 6)])
async def test_a_copy_request_is_priced_by_platform(
    client: httpx.AsyncClient, pro: WorkspaceInfo, product: str, held_jobs: list[str], platform: str | None, cost: int
) -> None:
    body: dict[str, Any] = {"productId": product, "seedKeywords": "green tea, loose leaf", "tone": "casual"}
    if platform:
        body["platform"] = platform
    response = await client.post(f"{API}/ai/listing", json=body, headers=pro.headers())
    assert response.status_code == 200, response.text
    assert response.json()["creditCost"] == cost
    job = (await client.get(f"{API}/ai/jobs/{response.json()['jobId']}", headers=pro.headers())).json()
    assert job["type"] == "listing_copy"
    assert (await credits(client, pro))["creditsRemaining"] == 100 - cost


async def test_a_product_without_an_image_needs_a_primary_image_url(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, held_jobs: list[str], image_server: str
) -> None:
    bare = await create_product(client, pro, title="No photo yet")
    before = await written(services, pro)
    body = {"productId": bare["id"], "style": "CLEAN_WHITE_BG"}
    response = await client.post(f"{API}/ai/image", json=body, headers=pro.headers())
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "primaryImageUrl" in response.json()["message"]
    assert await written(services, pro) == before

    body["primaryImageUrl"] = f"{image_server}/product.png"
    accepted = await client.post(f"{API}/ai/image", json=body, headers=pro.headers())
    assert accepted.status_code == 200, accepted.text


async def test_an_image_model_that_is_not_configured_is_named(
    client: httpx.AsyncClient, pro: WorkspaceInfo, product: str, services: AppServices
) -> None:
    before = await written(services, pro)
    for model in ("openai", "gemini"):
        body = {"productId": product, "style": "LIFESTYLE_CONTEXTUAL", "aiModel": model}
        response = await client.post(f"{API}/ai/image", json=body, headers=pro.headers())
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "model_not_configured"
        assert "SHOPWRIGHT_" in response.json()["message"]
    assert await written(services, pro) == before


async def test_the_free_plan_is_refused_everywhere(
    client: httpx.AsyncClient, free: WorkspaceInfo, services: AppServices
) -> None:
    before = await written(services, free)
    requests = [
        ("GET", "/products", None),
        ("GET", "/products/prod_1", None),
        ("POST", "/products", {"title": "Tea"}),
        ("POST", "/ai/image", {"productId": "prod_1", "style": "CLEAN_WHITE_BG"}),
        ("POST", "/ai/listing", {"productId": "prod_1"}),
        ("GET", "/ai/jobs/job_00000000-0000-0000-0000-000000000000", None),
        ("GET", "/assets", None),
        ("POST", "/assets/asset_00000000-0000-0000-0000-000000000000/approve", None),
        ("GET", "/export/prod_1", None),
        ("GET", "/billing/credits", None),
    ]
    for method, path, body in requests:
        response = await client.request(method, f"{API}{path}", json=body, headers=free.headers())
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"] == "plan_required"
        assert "Pro plan" in response.json()["message"]
    assert await written(services, free) == before


async def test_jobs_of_other_kinds_and_workspaces_are_not_found(
    client: httpx.AsyncClient,
    pro: WorkspaceInfo,
    pro_b: WorkspaceInfo,
    product: str,
    services: AppServices,
    held_jobs: list[str],
) -> None:
    other_kind = await create_job(services, pro)
    submitted = await client.post(
        f"{API}/ai/image", json={"productId": product, "style": "CLEAN_WHITE_BG"}, headers=pro.headers()
    )
    job_ref = submitted.json()["jobId"]
    for ref, ws in ((f"job_{other_kind}", pro), (job_ref, pro_b), ("job_nonsense", pro)):
        response = await client.get(f"{API}/ai/jobs/{ref}", headers=ws.headers())
        assert response.status_code == 404, ref
        assert response.json() == {"error": "not_found", "message": "Job not found."}
    assert (await client.get(f"{API}/ai/jobs/{job_ref.removeprefix('job_')}", headers=pro.headers())).status_code == 200


async def test_a_finished_image_job_links_its_image_and_asset(
    client: httpx.AsyncClient, pro: WorkspaceInfo, product: str, services: AppServices
) -> None:
    body = {
        "productId": product,
        "style": "CLEAN_WHITE_BG",
        "platform": "general",
        "outputSize": {"w": 1000, "h": 1000},
    }
    submitted = (await client.post(f"{API}/ai/image", json=body, headers=pro.headers())).json()
    await wait_for(services, submitted["jobId"].removeprefix("job_"), ["completed", "failed"], timeout=60)
    job = (await client.get(f"{API}/ai/jobs/{submitted['jobId']}", headers=pro.headers())).json()
    assert job["status"] == "completed", job
    result = job["result"]
    assert result["imageUrl"] == result["imageUrls"][0]
    image = await client.get(result["imageUrl"])
    assert image.status_code == 200
    with Image.open(io.BytesIO(image.content)) as decoded:
        assert decoded.size == (1000, 1000)
    assert "compliance" in result and isinstance(result["warnings"], list)

    assets = (await client.get(f"{API}/assets?productId={product}", headers=pro.headers())).json()
    assert [a["id"] for a in assets["assets"]] == result["assetIds"]
    assert assets["assets"][0]["jobId"] == submitted["jobId"]
    assert assets["assets"][0]["status"] == "generated"
