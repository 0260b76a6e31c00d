"""Small helpers for the content tests: submit, wait for the job through the status endpoint, count rows."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.content.guardrails import parse_claim
from domain.content.models import ContentConfig, ContentFeedback
from domain.content.products import ProductData, from_request
from domain.content.request import ProductIn
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

PRODUCT_ID = "1234567890001"  # the example's product
LIMITS = {"title": 100, "bullets": 250, "desc": 1000}  # the example's character limits
JOBS = "/brandbrain/content-generation/jobs"
CONFIGS = "/brandbrain/content-configs"
TERMINAL = ("completed", "failed", "cancelled")


async def submit(client: httpx.AsyncClient, ws: WorkspaceInfo, body: Any) -> httpx.Response:
    return await client.post(JOBS, json=body, headers=ws.headers())


async def wait_status(
    client: httpx.AsyncClient, ws: WorkspaceInfo, job_id: str, timeout: float = 30.0
) -> dict[str, Any]:
    """Polls the status endpoint until the job is finished; returns the last status body."""
    async with asyncio.timeout(timeout):
        while True:
            response = await client.get(f"{JOBS}/{job_id}/status", headers=ws.headers())
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            if body["status"] in TERMINAL:
                return body
            await asyncio.sleep(0.05)


async def generate(client: httpx.AsyncClient, ws: WorkspaceInfo, body: Any) -> tuple[str, dict[str, Any]]:
    """Submits, waits for completion and returns (job_id, result)."""
    response = await submit(client, ws, body)
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    status = await wait_status(client, ws, job_id)
    assert status["status"] == "completed", status
    result = await client.get(f"{JOBS}/{job_id}/result", headers=ws.headers())
    assert result.status_code == 200, result.text
    data: dict[str, Any] = result.json()
    return job_id, data


async def counts(services: AppServices) -> tuple[int, int, int]:
    """(jobs, content configs, feedback rows): to prove a refused request wrote nothing."""
    async with services.read() as session:
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
        configs = (await session.execute(select(func.count(ContentConfig.id)))).scalar_one()
        feedback = (await session.execute(select(func.count(ContentFeedback.id)))).scalar_one()
    return int(jobs), int(configs), int(feedback)


def with_config(example: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of the example with parts of ``content_generation_params.content_config`` replaced."""
    body = copy.deepcopy(example)
    body["content_generation_params"]["content_config"].update(changes)
    return body


def minimal_feedback(product_id: str | int = PRODUCT_ID) -> dict[str, Any]:
    """The smallest valid feedback body on a product of a job."""
    return {
        "product_id": product_id,
        "initial_pdp_content": {"title": "A"},
        "corrected_pdp_content": {"title": "B"},
        "comment_history": [],
    }


def texts(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def assert_claims_kept(
    content: dict[str, Any], keywords: dict[str, Any], codes: set[tuple[str, str]] | None = None
) -> None:
    """Each verbatim claim of the product stands in the description or in a bullet, the text holding it ending
    with its disclaimer; a claim may be missing only where ``codes`` (content type, code) has MISSING_CLAIM."""
    codes = codes or set()
    for raw in keywords["desc_must_claims"]:
        claim = parse_claim(raw)
        assert claim.text in content["desc"] or ("desc", "MISSING_CLAIM") in codes
        if claim.disclaimer:
            assert content["desc"].rstrip(" .").endswith(claim.disclaimer.rstrip(" ."))
    for raw in keywords["bullets_must_claims"]:
        claim = parse_claim(raw)
        holders = [b for b in content["bullets"] if claim.text in b]
        assert holders or ("bullets", "MISSING_CLAIM") in codes, claim.text
        if holders and claim.disclaimer:
            assert holders[0].rstrip(" .").endswith(claim.disclaimer.rstrip(" ."))


def product_data(raw: dict[str, Any]) -> ProductData:
    """A product of a submit body (the document's shape) as content generation reads it."""
    return from_request(ProductIn.model_validate(raw))
