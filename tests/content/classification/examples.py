"""The classification section's example requests, as the document gives them, and small helpers."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.ai.models import AiUsage
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

SYNC = "/brandbrain/content-analysis/product-classification"
JOBS = f"{SYNC}/jobs"

# "Classify a product according to the GPC Schema": the request body example.
SYNC_EXAMPLE: dict[str, Any] = {
    "product_name": "Generic Brand Voluminous Lash Paradise Washable Mascara",
    "product_description": "Revolutionary formula with intense volume and spectacular length.",
    "product_attributes": [
        {"name": "product_types", "value": "Mascara"},
        {"name": "category", "value": "Beauty"},
    ],
}
# "A minimal request to classify a product using the GPC taxonomy."
JOB_EXAMPLE: dict[str, Any] = {"product": SYNC_EXAMPLE, "channel": "gpc"}
# The brick the document's example answers for the mascara.
EYE_COSMETICS = 10000533
GPC_LEVELS = ["segment", "family", "class", "brick"]


async def wait_job(client: httpx.AsyncClient, ws: WorkspaceInfo, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """Polls GET .../jobs/{job_id} until the job is finished; returns the last body."""
    async with asyncio.timeout(timeout):
        while True:
            response = await client.get(f"{JOBS}/{job_id}", headers=ws.headers())
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            if body["status"] in ("completed", "failed", "cancelled"):
                return body
            await asyncio.sleep(0.05)


async def classify_job(
    client: httpx.AsyncClient, ws: WorkspaceInfo, body: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    response = await client.post(JOBS, json=body, headers=ws.headers())
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["job_id"]
    job_id: str = response.json()["job_id"]
    return job_id, await wait_job(client, ws, job_id)


async def written(services: AppServices) -> tuple[int, int]:
    """(jobs, AI usage rows): to prove a refused request wrote nothing."""
    async with services.read() as session:
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
        usage = (await session.execute(select(func.count(AiUsage.id)))).scalar_one()
    return int(jobs), int(usage)


def assert_gpc_shape(classification: dict[str, Any]) -> None:
    assert list(classification)[:4] == GPC_LEVELS
    for level in GPC_LEVELS:
        node = classification[level]
        assert list(node) == ["code", "title"]
        assert isinstance(node["code"], int) and isinstance(node["title"], str) and node["title"]


def assert_google_shape(classification: dict[str, Any]) -> None:
    assert list(classification)[:2] == ["category", "path"]
    assert classification["path"][-1] == classification["category"]
    for node in classification["path"]:
        assert list(node) == ["code", "title"] and isinstance(node["code"], int)
