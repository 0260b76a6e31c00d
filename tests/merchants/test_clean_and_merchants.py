"""Merchant stock known: the refresh job asks the merchant about every offer (price and stock updated, delisted
ones recorded), the store's ``expired_offers`` clean deletes what the merchant no longer lists, and
``GET /api/offers/merchants`` follows the store's offers settings."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from domain.catalog.models import Offer
from domain.jobs.service import JobService
from domain.merchants.jobs import REFRESH_OFFERS, RefreshParams
from resolvers.context import AppServices
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import connect, finished, result
from tests.store.conftest import auth, ok
from tests.support.factories import WorkspaceInfo


async def test_refresh_then_clean_expired_offers(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    merchant: FakeMerchant,
    feed_dir: Path,
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    links = ["B09V3KXJPB", "B07XJ8C8F5", "https://www.amazon.co.uk/dp/B0C1234567"]
    body = ok(
        await client.post("/api/products/import-links", json={"links": links}, headers=auth(workspace.api_key)), 202
    )
    await finished(services, body["data"]["job_id"])

    # Before any refresh, nothing is known to be delisted.
    clean = await client.post(
        "/api/store/clean", json={"operations": ["expired_offers"]}, headers=auth(workspace.api_key)
    )
    assert ok(clean)["data"] == {"deleted": {"expired_offers": 0}}

    # The merchant delists one item, changes the price of another and runs out of a third.
    merchant.items = [i for i in merchant.items if i["id"] != "B07XJ8C8F5"]
    for item in merchant.items:
        if item["id"] == "B09V3KXJPB":
            item["price"] = 49.99
        if item["id"] == "B0C1234567":
            item["in_stock"] = False
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(workspace.principal, kind=REFRESH_OFFERS, params=RefreshParams())
    assert result(await finished(services, job.id)) == {"merchants": {"amazon": {"listed": 2, "unlisted": 1}}}
    async with services.read() as session:
        offers = {o.merchant_offer_id: o for o in (await session.execute(select(Offer))).scalars()}
    assert offers["B09V3KXJPB"].price == 49.99 and offers["B0C1234567"].stock_available is False

    clean = await client.post(
        "/api/store/clean",
        json={"operations": ["expired_offers", "offerless_products"]},
        headers=auth(workspace.api_key),
    )
    assert ok(clean)["data"] == {"deleted": {"expired_offers": 1, "offerless_products": 1}}
    clean = await client.post(
        "/api/store/clean", json={"operations": ["out_of_stock_offers"]}, headers=auth(workspace.api_key)
    )
    assert ok(clean)["data"] == {"deleted": {"out_of_stock_offers": 1}}
    async with services.read() as session:
        left = sorted(o.merchant_offer_id for o in (await session.execute(select(Offer))).scalars())
    assert left == ["B09V3KXJPB"]


async def test_enabled_merchants_follow_the_settings(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    headers = auth(workspace.api_key)
    assert ok(await client.get("/api/offers/merchants", headers=headers))["data"] == {"amazon": "Amazon"}
    changed = {"ebay_enabled": True, "etsy_enabled": True, "amazon_enabled": False}
    ok(await client.patch("/api/settings/offers", json=changed, headers=headers))
    assert ok(await client.get("/api/offers/merchants", headers=headers))["data"] == {"ebay": "eBay", "etsy": "Etsy"}
    ok(await client.patch("/api/settings/offers", json={"custom_enabled": True}, headers=headers))
    assert list(ok(await client.get("/api/offers/merchants", headers=headers))["data"]) == ["ebay", "etsy", "custom"]
    # Another store's settings are its own.
    assert ok(await client.get("/api/offers/merchants", headers=auth(other_workspace.api_key)))["data"] == {
        "amazon": "Amazon"
    }
