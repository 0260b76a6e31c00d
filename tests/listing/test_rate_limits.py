"""The document's rate limits, per workspace: /ai/* 30 a minute, /products/* 120, everything 200."""

from __future__ import annotations

import asyncio
import time

import httpx

from resolvers.context import AppServices
from tests.listing.helpers import API, written
from tests.support.factories import WorkspaceInfo

MISSING_JOB = f"{API}/ai/jobs/job_00000000-0000-0000-0000-000000000000"


async def fresh_window() -> None:
    """Limits count in fixed one-minute windows: start a test early in one, so it cannot straddle two."""
    left = 60 - time.time() % 60
    if left < 25:
        await asyncio.sleep(left + 0.05)


async def test_the_31st_ai_request_is_refused_while_products_still_answer(
    client: httpx.AsyncClient, pro: WorkspaceInfo, pro_b: WorkspaceInfo, services: AppServices
) -> None:
    await fresh_window()
    for i in range(30):
        response = await client.get(MISSING_JOB, headers=pro.headers())
        assert response.status_code == 404, i
        assert response.headers["X-RateLimit-Limit"] == "30"
    before = await written(services, pro)
    # The workspace's budget: its member's access token shares it with its API key.
    refused = await client.post(
        f"{API}/ai/image",
        json={"productId": "prod_1", "style": "CLEAN_WHITE_BG"},
        headers=pro.headers(pro.access_token),
    )
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert await written(services, pro) == before

    assert (await client.get(f"{API}/products", headers=pro.headers())).status_code == 200
    assert (await client.get(MISSING_JOB, headers=pro_b.headers())).status_code == 404  # another workspace's budget


async def test_products_allow_120_and_everything_200(client: httpx.AsyncClient, pro: WorkspaceInfo) -> None:
    await fresh_window()
    for _ in range(120):
        assert (await client.get(f"{API}/products?limit=1", headers=pro.headers())).status_code == 200
    assert (await client.get(f"{API}/products", headers=pro.headers())).status_code == 429
    # 121 requests so far (the refused one counts against the global budget too): 79 more are allowed.
    for _ in range(79):
        response = await client.get(f"{API}/assets?limit=1", headers=pro.headers())
        assert response.status_code == 200, response.text
    last = await client.get(f"{API}/billing/credits", headers=pro.headers())
    assert last.status_code == 429
    assert last.headers["X-RateLimit-Limit"] == "200"
