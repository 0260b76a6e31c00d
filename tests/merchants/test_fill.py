"""POST /api/categories/fill: per category, a merchant search with its title and keywords; out-of-stock items and
items already offered are skipped, ``quantity`` is respected, and the AI relevance check (with a provider) keeps
only what the model says fits, billed in credits (offline it is skipped and costs nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select

from domain.accounts.credits import CreditsService
from domain.catalog.models import Category, Offer, ProductCategory
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.merchants.conftest import merchant_registry
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import connect, finished, result
from tests.store.conftest import auth, ok
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI, RecordedRequest
from tests.support.serving import asgi_client


async def _categories(services: AppServices, ws: WorkspaceInfo, *titles: str) -> list[int]:
    async with services.unit_of_work() as uow:
        rows = [Category(workspace_id=ws.workspace_id, slug=t.lower(), title=t) for t in titles]
        uow.session.add_all(rows)
        await uow.session.flush()
        return [r.id for r in rows]


async def test_fill_skips_out_of_stock_and_duplicates_and_respects_quantity(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    merchant: FakeMerchant,
    feed_dir: Path,
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    headphones, kettles = await _categories(services, workspace, "Headphones", "Kettles")
    async with services.unit_of_work() as uow:  # already offered: a duplicate, skipped
        uow.session.add(
            Offer(
                workspace_id=workspace.workspace_id,
                merchant="amazon",
                merchant_offer_id="B07XJ8C8F5",
                title="Sonic",
                locale="us",
                url_detail="https://www.amazon.com/dp/B07XJ8C8F5",
            )
        )
    response = await client.post(
        "/api/categories/fill",
        json={"api_name": "amazon", "locale": "us", "quantity": 3},
        headers=auth(workspace.api_key),
    )
    body = ok(response, 202)["data"]
    assert {k: body[k] for k in ("categories_queued", "quantity_per_category", "api_name", "locale")} == {
        "categories_queued": 2,
        "quantity_per_category": 3,
        "api_name": "amazon",
        "locale": "us",
    }
    assert body["credits_charged"] == 0  # offline: no relevance check runs, none is billed
    done = result(await finished(services, body["job_id"]))
    per = {c["category_id"]: c for c in done["categories"]}
    assert per[headphones]["skipped"] == {"out_of_stock": 1, "duplicate": 1, "not_relevant": 0}
    assert per[kettles]["skipped"] == {"out_of_stock": 1, "duplicate": 0, "not_relevant": 0}
    async with services.read() as session:
        stmt = (
            select(ProductCategory.category_id, Offer.merchant_offer_id, Offer.stock_available).join(
                Offer, Offer.title != ""
            )  # narrowed below through the offer-product link
        )
        del stmt
        rows = (await session.execute(select(Offer).order_by(Offer.id))).scalars().all()
        imported = [o for o in rows if o.merchant_offer_id != "B07XJ8C8F5"]
        assert [o.merchant_offer_id for o in imported] == ["B09V3KXJPB", "B08N5WRWNW", "B0H0000002", "B0K0000001"]
        assert all(o.stock_available for o in imported)
        links = (await session.execute(select(ProductCategory.category_id))).scalars().all()
        assert sorted(links) == sorted([headphones] * 3 + [kettles])


async def test_fill_with_ai_relevance_check_bills_and_filters(
    settings_factory: Callable[..., Settings],
    app_pool: AppPool,
    fake_openai: FakeOpenAI,
    merchant: FakeMerchant,
    feed_dir: Path,
) -> None:
    settings = settings_factory(**fake_openai.settings(), merchant_feed_dir=feed_dir)

    def judge(request: RecordedRequest) -> dict[str, object]:
        return {"relevant": "Gaming" not in request.user, "reason": "checked"}

    fake_openai.handler = judge
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    async with app_pool.use(settings, merchant_registry) as application, asgi_client(application) as client:
        services: AppServices = application.state.services
        ws = await make_workspace(services, plan="pro", credits=50)
        await connect(services, ws, "amazon", "feed", {"source": "amazon.csv"})
        (headphones,) = await _categories(services, ws, "Headphones")
        # Content for the products is billed apart (test_generate_content.py).
        body = {
            "api_name": "amazon",
            "locale": "us",
            "quantity": 10,
            "categories": [headphones],
            "generate_content": False,
        }
        answer = ok(await client.post("/api/categories/fill", json=body, headers=auth(ws.api_key)), 202)["data"]
        # 300 chips per item checked, 10 items: 3000 chips, 3 credits at 1000 chips a credit.
        assert answer["credits_charged"] == 3
        done = result(await finished(services, answer["job_id"]))
        assert done["categories"][0]["skipped"] == {"out_of_stock": 2, "duplicate": 0, "not_relevant": 1}
        assert len(done["categories"][0]["product_ids"]) == 5
        checked = [r for r in fake_openai.requests if "Product:" in r.user]
        assert len(checked) == 6 and all("Category: Headphones" in r.user for r in checked)
        async with services.read() as session:
            balance = await CreditsService(session, services.plans).balance(ws.workspace_id)
        assert balance.total == 500 + 50 - 3  # the pro plan's month and the top-up, less the fill
