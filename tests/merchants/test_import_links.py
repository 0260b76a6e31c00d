"""POST /api/products/import-links: Amazon URLs of four marketplaces, bare ASINs, a duplicate of an existing offer,
a repeat and garbage answer the document's per-link statuses; the job imports the rest from the feed adapter with
price, stock and image, out-of-stock items too."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from resolvers.context import AppServices
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import connect, counts, finished, result
from tests.store.conftest import auth, ok
from tests.support.factories import WorkspaceInfo

LINKS = [
    "https://www.amazon.com/Acme-Wireless/dp/B09V3KXJPB/ref=sr_1_1",
    "https://www.amazon.co.uk/gp/product/B0C1234567?th=1",
    "https://www.amazon.de/-/en/dp/B0D7654321",
    "https://www.amazon.co.jp/gp/aw/d/B0JP000001",
    "B07XJ8C8F5",
    "https://www.amazon.com/dp/B08N5WRWNW",  # offered already
    "b07xj8c8f5",  # the same as the bare ASIN above
    "https://www.ebay.com/itm/123",
    "not a link",
    "B0NOTLISTD",  # an ASIN the merchant does not list
]


async def _existing_offer(services: AppServices, ws: WorkspaceInfo) -> int:
    async with services.unit_of_work() as uow:
        product = Product(workspace_id=ws.workspace_id, slug="studio", title="Studio Headphones")
        offer = Offer(
            workspace_id=ws.workspace_id,
            merchant="amazon",
            merchant_offer_id="B08N5WRWNW",
            title="Studio",
            locale="us",
            url_detail="https://www.amazon.com/dp/B08N5WRWNW",
        )
        uow.session.add_all([product, offer])
        await uow.session.flush()
        uow.session.add(OfferProduct(offer_id=offer.id, product_id=product.id, workspace_id=ws.workspace_id))
        return product.id


async def _category(services: AppServices, ws: WorkspaceInfo, title: str) -> int:
    async with services.unit_of_work() as uow:
        category = Category(workspace_id=ws.workspace_id, slug=title.lower(), title=title)
        uow.session.add(category)
        await uow.session.flush()
        return category.id


async def test_import_links_statuses_and_imported_offers(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    merchant: FakeMerchant,
    feed_dir: Path,
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    existing = await _existing_offer(services, workspace)
    category = await _category(services, workspace, "Audio")

    response = await client.post(
        "/api/products/import-links", json={"links": LINKS, "categories": [category]}, headers=auth(workspace.api_key)
    )
    body = ok(response, 202)["data"]
    assert (body["total"], body["importing"], body["duplicates"], body["failed"]) == (10, 6, 2, 2)
    assert response.headers["X-Job-Id"] == body["job_id"]
    by_link = {entry["link"]: entry for entry in body["links"]}
    assert by_link[LINKS[0]] == {"link": LINKS[0], "asin": "B09V3KXJPB", "locale": "us", "status": "importing"}
    assert [by_link[link]["locale"] for link in LINKS[1:4]] == ["gb", "de", "jp"]
    assert by_link["B07XJ8C8F5"] == {"link": "B07XJ8C8F5", "asin": "B07XJ8C8F5", "locale": "us", "status": "importing"}
    assert by_link[LINKS[5]] == {
        "link": LINKS[5],
        "asin": "B08N5WRWNW",
        "locale": "us",
        "status": "duplicate",
        "reason": "Product already exists",
        "product_id": existing,
    }
    assert by_link["b07xj8c8f5"]["status"] == "duplicate"
    assert by_link["b07xj8c8f5"]["reason"] == "Repeated in this request"
    for garbage in LINKS[7:9]:
        assert by_link[garbage] == {
            "link": garbage,
            "asin": None,
            "locale": None,
            "status": "failed",
            "reason": "Not an Amazon product URL or ASIN",
        }

    job = await finished(services, body["job_id"])
    done = result(job)
    assert (done["imported"], done["not_found"], done["duplicates"]) == (5, 1, 0)
    assert {e["asin"]: e["status"] for e in done["links"]}["B0NOTLISTD"] == "not_found"

    async with services.read() as session:
        offers = {
            o.merchant_offer_id: o
            for o in (await session.execute(select(Offer).where(Offer.merchant_offer_id != "B08N5WRWNW"))).scalars()
        }
        assert set(offers) == {"B09V3KXJPB", "B0C1234567", "B0D7654321", "B0JP000001", "B07XJ8C8F5"}
        uk = offers["B0C1234567"]
        assert (uk.price, uk.currency, uk.stock_available, uk.locale) == (39.0, "GBP", True, "gb")
        assert uk.images == ["https://m.media-amazon.com/images/I/B0C1234567.jpg"]
        assert uk.url_detail.startswith("https://www.amazon.co.uk/dp/B0C1234567")
        # An explicit link imports an out-of-stock item as asked.
        assert offers["B0D7654321"].stock_available is False
        links = {r.offer_id: r.product_id for r in (await session.execute(select(OfferProduct))).scalars()}
        product = await session.get(Product, links[uk.id])
        assert product is not None and product.title == "Kettle Deluxe 1.7L"
        assert product.main_image_url == "https://m.media-amazon.com/images/I/B0C1234567.jpg"
        brand = await session.get(Brand, product.brand_id)
        assert brand is not None and brand.title == "Brewmaster"
        in_category = (await session.execute(select(ProductCategory.product_id))).scalars().all()
        assert len(in_category) == 5

    # The same links again: every importable one is now a duplicate of what was imported.
    again = ok(
        await client.post("/api/products/import-links", json={"links": LINKS[:5]}, headers=auth(workspace.api_key)), 202
    )
    assert (again["data"]["importing"], again["data"]["duplicates"]) == (0, 5)
    assert all(e["reason"] == "Product already exists" and e["product_id"] for e in again["data"]["links"])


async def test_not_connected_is_refused_and_nothing_written(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await counts(services, workspace.workspace_id)
    response = await client.post(
        "/api/products/import-links", json={"links": ["B07XJ8C8F5"]}, headers=auth(workspace.api_key)
    )
    body = ok(response, 422)
    assert body["errors"] == {
        "links": ["Amazon is not connected to this store: connect it first (GraphQL connectMerchant)."]
    }
    assert await counts(services, workspace.workspace_id) == before


async def test_paapi_connection_imports_through_signed_calls(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant
) -> None:
    from tests.merchants.conftest import paapi_connection

    conn = paapi_connection()
    await connect(services, workspace, "amazon", conn["adapter"], conn["settings"], conn["credentials"])
    links = ["https://www.amazon.com/dp/B09V3KXJPB", "https://www.amazon.de/dp/B0D7654321"]
    body = ok(
        await client.post("/api/products/import-links", json={"links": links}, headers=auth(workspace.api_key)), 202
    )
    done = result(await finished(services, body["data"]["job_id"]))
    assert done["imported"] == 2
    assert sorted(d for p, d in merchant.requests if p == "GetItems") == ["B09V3KXJPB", "B0D7654321"]
    async with services.read() as session:
        offer = (await session.execute(select(Offer).where(Offer.merchant_offer_id == "B09V3KXJPB"))).scalar_one()
        assert (offer.price, offer.price_full, offer.stock_available) == (59.99, 71.99, True)
