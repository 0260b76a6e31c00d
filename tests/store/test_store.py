"""Store endpoints: status (public), info, stats (+ alias), warnings, locales, clean (the AI operations are in
tests/store_ops)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from tests.store.conftest import ok


async def test_status_is_public(client):
    assert ok(await client.get("/api/store/status")) == {"data": {"up": True}}


async def test_info_shape_and_settings(client, h):
    data = ok(await client.get("/api/store/info", headers=h))["data"]
    assert set(data) == {
        "name", "url", "niche", "live", "default_country", "enabled_countries", "version", "cart_enabled",
        "advanced_mode",
    }  # fmt: skip
    assert data["name"] == "Workspace A" and data["url"] == "http://testserver" and data["live"] is True
    ok(
        await client.patch(
            "/api/settings/store",
            headers=h,
            json={
                "name": "My Store",
                "niche": "tech",
                "url": "https://store.example.com",
                "enabled_countries": ["us", "GB", "DE"],
            },
        )
    )
    data = ok(await client.get("/api/store/info", headers=h))["data"]
    assert (data["name"], data["niche"], data["url"]) == ("My Store", "tech", "https://store.example.com")
    assert data["enabled_countries"] == ["US", "GB", "DE"]


async def test_locales_follow_enabled_countries(client, h):
    data = ok(await client.get("/api/store/locales", headers=h))["data"]
    assert list(data) == ["us"] and data["us"]["name"] == "United States" and data["us"]["iso_3166_2"] == "US"
    ok(await client.patch("/api/settings", headers=h, json={"store_enabled_countries": ["US", "GB"]}))
    data = ok(await client.get("/api/store/locales", headers=h))["data"]
    assert data["gb"] == {**data["gb"], "name": "United Kingdom", "iso_3166_2": "GB"}
    assert set(data) == {"us", "gb"}


async def seed_catalog(services, ws_id):
    """brand A (with a product), brand B (empty); category tree; products with/without offers."""
    async with services.unit_of_work() as uow:
        s = uow.session
        a, b = Brand(workspace_id=ws_id, slug="a", title="A"), Brand(workspace_id=ws_id, slug="b", title="B")
        root = Category(workspace_id=ws_id, slug="root", title="Root")
        s.add_all([a, b, root])
        await s.flush()
        full = Category(workspace_id=ws_id, slug="full", title="Full", parent_id=root.id)
        empty_parent = Category(workspace_id=ws_id, slug="ep", title="Empty parent")
        s.add_all([full, empty_parent])
        await s.flush()
        empty_leaf = Category(workspace_id=ws_id, slug="el", title="Empty leaf", parent_id=empty_parent.id)
        s.add(empty_leaf)
        kept = Product(workspace_id=ws_id, slug="kept", title="Kept", brand_id=a.id)
        lonely = Product(workspace_id=ws_id, slug="lonely", title="No offers")
        oos_only = Product(workspace_id=ws_id, slug="oos", title="Only out of stock")
        s.add_all([kept, lonely, oos_only])
        await s.flush()
        s.add(ProductCategory(workspace_id=ws_id, product_id=kept.id, category_id=full.id))
        good = Offer(workspace_id=ws_id, merchant="amazon", merchant_offer_id="B1", title="o", url_detail="https://a/1")
        oos = Offer(
            workspace_id=ws_id,
            merchant="amazon",
            merchant_offer_id="B2",
            title="o",
            url_detail="https://a/2",
            stock_available=False,
        )
        s.add_all([good, oos])
        await s.flush()
        s.add_all(
            [
                OfferProduct(workspace_id=ws_id, offer_id=good.id, product_id=kept.id),
                OfferProduct(workspace_id=ws_id, offer_id=oos.id, product_id=oos_only.id),
            ]
        )


async def test_stats_and_alias(client, h, services, workspace, other_workspace):
    await seed_catalog(services, workspace.workspace_id)
    ok(await client.post("/api/articles", headers=h, json={"title": "One"}), 201)
    expected = {"brands": 2, "articles": 1, "products": 3, "categories": 4, "offers": 2, "articles_generated": 0}
    assert ok(await client.get("/api/store/stats", headers=h))["data"] == expected
    assert ok(await client.get("/api/data/stats", headers=h))["data"] == expected
    other = ok(await client.get("/api/store/stats", headers=other_workspace.headers()))["data"]
    assert set(other.values()) == {0}


async def test_clean_default_set_leaves_out_of_stock_offers(client, h, services, workspace, other_workspace):
    await seed_catalog(services, workspace.workspace_id)
    await seed_catalog(services, other_workspace.workspace_id)
    body = ok(await client.post("/api/store/clean", headers=h))
    assert body == {
        "data": {"deleted": {"expired_offers": 0, "offerless_products": 1, "empty_brands": 1, "empty_categories": 2}}
    }
    stats = ok(await client.get("/api/store/stats", headers=h))["data"]
    assert (stats["offers"], stats["products"], stats["brands"], stats["categories"]) == (2, 2, 1, 2)
    # The other store is untouched.
    other = ok(await client.get("/api/store/stats", headers=other_workspace.headers()))["data"]
    assert (other["offers"], other["products"], other["brands"], other["categories"]) == (2, 3, 2, 4)


async def test_clean_out_of_stock_is_opt_in_and_keys_follow_request(client, h, services, workspace):
    await seed_catalog(services, workspace.workspace_id)
    body = ok(await client.post("/api/store/clean", headers=h, json={"operations": ["out_of_stock_offers"]}))
    assert body == {"data": {"deleted": {"out_of_stock_offers": 1}}}
    body = ok(
        await client.post(
            "/api/store/clean", headers=h, json={"operations": ["offerless_products", "out_of_stock_offers"]}
        )
    )
    # The product left offerless by the out-of-stock clean-up goes too, alongside the one that never had offers.
    assert body == {"data": {"deleted": {"out_of_stock_offers": 0, "offerless_products": 2}}}
    async with services.read() as session:
        live = await session.scalar(
            select(func.count())
            .select_from(Product)
            .where(Product.workspace_id == workspace.workspace_id, Product.deleted_at.is_(None))
        )
    assert live == 1


@pytest.mark.parametrize(
    "body", [{"operations": ["everything"]}, {"operations": "expired_offers"}, {"operations": []}, [1]]
)
async def test_clean_bad_input(client, h, services, workspace, body):
    await seed_catalog(services, workspace.workspace_id)
    r = await client.post("/api/store/clean", headers=h, json=body)
    assert r.status_code == 422 and set(r.json()) == {"message", "errors"}
    assert ok(await client.get("/api/store/stats", headers=h))["data"]["products"] == 3


async def test_warnings(client, h, services, workspace):
    data = ok(await client.get("/api/store/warnings", headers=h))["data"]
    assert data[0] == {
        "message": "To get paid for your Amazon sales you need to add an Amazon Affiliate Tag",
        "action": "Find Out More",
        "url": "/admin/store-health",
    }
    assert all(set(w) == {"message", "action", "url"} for w in data)
    ok(
        await client.patch(
            "/api/settings", headers=h, json={"offers_amazon_affiliate_tag": "shop-20", "store_niche": "cameras"}
        )
    )
    await seed_catalog(services, workspace.workspace_id)
    assert ok(await client.get("/api/store/warnings", headers=h))["data"] == []
    ok(await client.patch("/api/settings", headers=h, json={"store_live": False}))
    messages = [w["message"] for w in ok(await client.get("/api/store/warnings", headers=h))["data"]]
    assert messages == ["Your store is offline: visitors cannot see it"]


async def test_store_endpoints_need_auth(client):
    for path in ("/api/store/info", "/api/store/stats", "/api/data/stats", "/api/store/warnings", "/api/store/locales"):
        r = await client.get(path)
        assert r.status_code == 401 and r.json() == "Unauthorized."
    assert (await client.post("/api/store/clean")).status_code == 401


async def test_unknown_api_path_is_404_in_store_dialect(client, h):
    r = await client.get("/api/store/nothing-here", headers=h)
    assert r.status_code == 404
