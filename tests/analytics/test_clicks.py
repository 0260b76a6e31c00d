"""``/go/{offer_id}``: records the click (affiliate or internal, source, merchant, URL, price, the visitor of the
``_pk_id`` cookie) and redirects to the offer's stored URL only; unknown or disabled offers are a 404 page."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from domain.analytics.models import AnalyticsClick, AnalyticsDailyClicks, AnalyticsVisitor
from domain.catalog.models import Offer, OfferProduct, Product
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.analytics.fixtures.tracker import RECORDED_VISITOR, count, request, rows, site_of
from tests.conftest import AppPool, make_test_registry
from tests.support.factories import WorkspaceInfo, make_workspace

AMAZON_URL = "https://www.amazon.com/dp/B000TEST01?tag=fresh-20"


@pytest.fixture
async def app(settings_factory: Callable[..., Settings], app_pool: AppPool) -> AsyncIterator[Starlette]:
    settings = settings_factory(analytics_commission_rates={"amazon": 0.05, "*": 0.02}, analytics_flush_seconds=30)
    async with app_pool.use(settings, make_test_registry) as application:
        application.state.tracking.tracking.sites.clear()
        yield application


async def add_offer(
    services: AppServices, ws: WorkspaceInfo, *, merchant: str, url: str, price: float | None, enabled: bool = True
) -> tuple[int, int]:
    async with services.unit_of_work() as uow:
        product = Product(workspace_id=ws.workspace_id, slug=f"p-{uuid.uuid4().hex[:12]}", title="Widget")
        offer = Offer(
            workspace_id=ws.workspace_id, merchant=merchant, merchant_offer_id="X1", title="Widget offer",
            url_detail=url, price=price, currency="USD", enabled=enabled,
        )  # fmt: skip
        uow.session.add_all([product, offer])
        await uow.session.flush()
        uow.session.add(OfferProduct(offer_id=offer.id, product_id=product.id, workspace_id=ws.workspace_id))
        return offer.id, product.id


async def product(services: AppServices, product_id: int) -> Product:
    async with services.read() as session:
        return (await session.execute(select(Product).where(Product.id == product_id))).scalar_one()


async def test_affiliate_click_is_recorded_and_redirected_to_the_offer(
    app: Starlette, client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    offer_id, product_id = await add_offer(services, ws, merchant="Amazon", url=AMAZON_URL, price=120.0)
    # The visitor was seen by the tracker before clicking.
    site = await site_of(services, ws.workspace_id)
    query = request("pageview_product", site, at=datetime.now(UTC) - timedelta(minutes=2))
    assert (await client.get(f"/matomo.php?{query}")).status_code == 204
    await app.state.tracking.queue.flush()

    r = await client.get(
        f"/go/{offer_id}?url=https://evil.example/",
        headers={
            "Referer": "https://shop.example.com/products/example-widget",
            "Cookie": f"_pk_ses.{site}.1fff=1; _pk_id.{site}.1fff={RECORDED_VISITOR}.1764511327.",
        },
    )
    assert r.status_code == 302 and r.headers["location"] == AMAZON_URL  # never the request's URL
    assert r.headers["cache-control"] == "no-store"
    [click] = await rows(services, AnalyticsClick)
    assert (click.offer_id, click.product_id, click.affiliate, click.origin) == (offer_id, product_id, True, "redirect")
    assert (click.source, click.destination, click.url) == (
        "https://shop.example.com/products/example-widget", "amazon", AMAZON_URL,
    )  # fmt: skip
    assert (click.price, click.currency, click.revenue) == (120.0, "USD", 6.0)  # 5 % of the price at click time
    [visitor] = await rows(services, AnalyticsVisitor)
    assert click.visitor_id == visitor.id and visitor.clicks_count == 1 and click.visit_id is not None
    [daily] = await rows(services, AnalyticsDailyClicks)
    assert (daily.affiliate, daily.merchant, daily.clicks, daily.revenue) == (True, "amazon", 1, 6.0)
    counters = await product(services, product_id)
    assert (counters.total_clicks, counters.affiliate_clicks) == (1, 1)


async def test_internal_click_earns_nothing_and_from_names_the_source(
    client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    offer_id, product_id = await add_offer(
        services, ws, merchant="custom", url="https://shop.example.com/buy/1", price=30
    )
    etsy_id, _ = await add_offer(services, ws, merchant="etsy", url="https://www.etsy.com/listing/1", price=50)
    r = await client.get(f"/go/{offer_id}?from=https://shop.example.com/deals", headers={"Referer": "https://x.test/"})
    assert r.status_code == 302 and r.headers["location"] == "https://shop.example.com/buy/1"
    assert (await client.get(f"/go/{etsy_id}")).status_code == 302
    clicks = {c.offer_id: c for c in await rows(services, AnalyticsClick)}
    internal, etsy = clicks[offer_id], clicks[etsy_id]
    assert (internal.affiliate, internal.source, internal.revenue, internal.visitor_id) == (
        False, "https://shop.example.com/deals", 0.0, None,
    )  # fmt: skip
    assert (etsy.affiliate, etsy.destination, etsy.revenue, etsy.source) == (True, "etsy", 1.0, None)  # the "*" rate
    counters = await product(services, product_id)
    assert (counters.total_clicks, counters.affiliate_clicks) == (1, 0)


@pytest.mark.parametrize("path", ["/go/999999", "/go/abc", "/go/-1", "/go/99999999999999999999"])
async def test_unknown_offers_are_a_404_page(client: httpx.AsyncClient, services: AppServices, path: str) -> None:
    await make_workspace(services)
    r = await client.get(path)
    assert r.status_code == 404 and "Offer not found" in r.text
    assert await count(services, AnalyticsClick) == 0


async def test_disabled_offers_and_offers_without_an_http_url_are_404(
    client: httpx.AsyncClient, services: AppServices
) -> None:
    ws = await make_workspace(services)
    disabled, _ = await add_offer(services, ws, merchant="amazon", url=AMAZON_URL, price=10, enabled=False)
    scripted, _ = await add_offer(services, ws, merchant="amazon", url="javascript:alert(1)", price=10)
    for offer_id in (disabled, scripted):
        r = await client.get(f"/go/{offer_id}")
        assert r.status_code == 404 and "location" not in r.headers
    assert await count(services, AnalyticsClick) == 0
    assert await count(services, AnalyticsDailyClicks) == 0
