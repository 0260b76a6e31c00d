"""Credits on the listing surface: the documented balance, a 402 that names cost and balance, and a hundred
concurrent paid requests against a balance that covers ten."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from domain.accounts.models import CreditEntry
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.listing.helpers import API, create_product, credits
from tests.support.factories import make_workspace

CLEAN_WHITE_BG_COST = 4


@pytest.mark.listing_settings(plans={"free": 0, "pro": 300, "growth": 2000})
async def test_the_balance_in_the_documented_shape(client: httpx.AsyncClient, services: AppServices) -> None:
    ws = await make_workspace(services, plan="pro", credits=50)
    body = await credits(client, ws)
    assert list(body) == ["creditsRemaining", "subscriptionCredits", "topupCredits", "plan", "renewsAt"]
    assert body["creditsRemaining"] == 350
    assert body["subscriptionCredits"] == 300 and body["topupCredits"] == 50
    assert body["plan"] == "pro"
    assert body["renewsAt"].endswith("Z")


async def test_a_short_balance_is_a_402_naming_cost_and_balance(
    client: httpx.AsyncClient, services: AppServices, image_server: str
) -> None:
    ws = await make_workspace(services, plan="pro", credits=3)
    product = await create_product(client, ws, f"{image_server}/product.png")
    response = await client.post(
        f"{API}/ai/image", json={"productId": product["id"], "style": "CLEAN_WHITE_BG"}, headers=ws.headers()
    )
    assert response.status_code == 402
    body = response.json()
    assert body["error"] == "insufficient_credits"
    assert body["creditCost"] == CLEAN_WHITE_BG_COST and body["creditsRemaining"] == 3
    assert (await credits(client, ws))["creditsRemaining"] == 3
    async with services.read() as session:
        jobs = await session.execute(select(func.count()).select_from(Job).where(Job.workspace_id == ws.workspace_id))
        assert jobs.scalar_one() == 0


@pytest.mark.listing_settings(rate_limits={"listing.ai": 0, "listing.all": 0})
async def test_a_hundred_concurrent_requests_against_ten_requests_worth(
    client: httpx.AsyncClient, services: AppServices, image_server: str, held_jobs: list[str]
) -> None:
    ws = await make_workspace(services, plan="pro", credits=10 * CLEAN_WHITE_BG_COST)
    product = await create_product(client, ws, f"{image_server}/product.png")
    body = {"productId": product["id"], "style": "CLEAN_WHITE_BG"}

    async def submit() -> httpx.Response:
        return await client.post(f"{API}/ai/image", json=body, headers=ws.headers())

    answers = await asyncio.gather(*(submit() for _ in range(100)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 10 + [402] * 90, {s: statuses.count(s) for s in set(statuses)}
    assert all(a.json()["error"] == "insufficient_credits" for a in answers if a.status_code == 402)
    assert (await credits(client, ws))["creditsRemaining"] == 0
    async with services.read() as session:
        jobs = (await session.execute(select(Job).where(Job.workspace_id == ws.workspace_id))).scalars().all()
        assert len(jobs) == 10
        assert sorted(held_jobs) == sorted(j.id for j in jobs)
        debits = (
            await session.execute(
                select(CreditEntry.amount, CreditEntry.balance_after).where(
                    CreditEntry.workspace_id == ws.workspace_id, CreditEntry.amount < 0
                )
            )
        ).all()
        assert len(debits) == 10
        assert all(amount == -CLEAN_WHITE_BG_COST and after >= 0 for amount, after in debits)
        assert sorted(after for _, after in debits) == [i * CLEAN_WHITE_BG_COST for i in range(10)]
