"""Cleaning brands: variants merged into one brand with every product reassigned, titles fixed, verdicts
applied (offline rules, or the model's one batched call), ``keep_top``, credits and tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.catalog.models import Brand, Product
from tests.catalog import helpers
from tests.store_ops.conftest import STARTING_CREDITS, balance, ok, tokens_used
from tests.support.fake_openai import Reply


async def _brands(services, ws) -> dict[int, Brand]:
    async with services.read() as session:
        rows = await session.execute(select(Brand).where(Brand.workspace_id == ws.workspace_id))
        return {b.id: b for b in rows.scalars()}


async def _brand_of(services, product_ids) -> dict[int, int | None]:
    async with services.read() as session:
        rows = await session.execute(select(Product.id, Product.brand_id).where(Product.id.in_(product_ids)))
        return dict(rows.all())


async def _acme_family(services, ws):
    acme = await helpers.brand(services, ws, title="Acme")
    upper = await helpers.brand(services, ws, title="ACME")
    inc = await helpers.brand(services, ws, title="Acme Inc.")
    products = [
        await helpers.product(services, ws, title="Anvil", brand_id=acme.id),
        await helpers.product(services, ws, title="Rocket skates", brand_id=upper.id),
        await helpers.product(services, ws, title="Giant magnet", brand_id=upper.id),
        await helpers.product(services, ws, title="Bird seed", brand_id=inc.id),
    ]
    return (acme, upper, inc), [p.id for p in products]


async def test_acme_variants_merge_into_one_brand_with_all_products(client, services, workspace, h):
    (acme, upper, inc), product_ids = await _acme_family(services, workspace)
    other = await helpers.brand(services, workspace, title="Brand: Globex, Inc.")
    globex_product = await helpers.product(services, workspace, title="Globe", brand_id=other.id)
    await helpers.product(services, workspace, title="Globe 2", brand_id=other.id)
    await helpers.brand(services, workspace, title="Empty Brand")

    r = await client.post("/api/brands/clean", json={}, headers=h)
    result = ok(r)
    assert result == {
        "classified": 3,
        "enabled": 2,
        "capped": 0,
        "deleted": 1,  # the brand without products
        "kept_disabled": 0,
        "title_fixes": 2,  # the survivor "ACME" -> "Acme"; "Brand: Globex, Inc." -> "Globex"
        "merged": 2,
    }
    assert r.headers["X-Credits-Charged"] == "0"  # offline: no AI call, nothing billed
    brands = await _brands(services, workspace)
    survivor = brands[upper.id]  # the variant with the most products keeps its id
    assert acme.id not in brands and inc.id not in brands
    assert survivor.title == "Acme" and survivor.enabled
    assert brands[other.id].title == "Globex"
    owners = await _brand_of(services, [*product_ids, globex_product.id])
    assert {owners[p] for p in product_ids} == {upper.id}
    assert owners[globex_product.id] == other.id
    assert await balance(services, workspace) == STARTING_CREDITS

    # idempotent: a second run finds nothing to merge or fix
    again = ok(await client.post("/api/brands/clean", headers=h))
    assert again["merged"] == 0 and again["title_fixes"] == 0 and again["classified"] == 2


async def test_offline_deletes_random_letter_brands_of_one_product(client, services, workspace, h):
    gib = await helpers.brand(services, workspace, title="XJDKWQ")
    item = await helpers.product(services, workspace, title="Cable", brand_id=gib.id)
    result = ok(await client.post("/api/brands/clean", json={"niche": "cables"}, headers=h))
    assert result["deleted"] == 1
    assert gib.id not in await _brands(services, workspace)
    assert (await _brand_of(services, [item.id]))[item.id] is None  # the product stays, without a brand


async def test_keep_top_caps_the_enabled_brands_by_product_count(client, services, workspace, h):
    big = await helpers.brand(services, workspace, title="Bigco")
    mid = await helpers.brand(services, workspace, title="Midco")
    small = await helpers.brand(services, workspace, title="Smallco")
    for brand, n in ((big, 3), (mid, 2), (small, 1)):
        for i in range(n):
            await helpers.product(services, workspace, title=f"{brand.title} {i}", brand_id=brand.id)
    result = ok(await client.post("/api/brands/clean", json={"keep_top": 2}, headers=h))
    assert (result["enabled"], result["capped"], result["deleted"]) == (2, 1, 0)
    brands = await _brands(services, workspace)
    assert brands[big.id].enabled and brands[mid.id].enabled and not brands[small.id].enabled


@pytest.mark.provider("openai")
async def test_the_model_classifies_in_one_call_billed_and_counted(client, services, workspace, h, fake_openai):
    (_, upper, _), _ = await _acme_family(services, workspace)
    gopro = await helpers.brand(services, workspace, title="GoPro")
    await helpers.product(services, workspace, title="Camera", brand_id=gopro.id)
    odd = await helpers.brand(services, workspace, title="Maybe Brand")
    await helpers.product(services, workspace, title="Thing", brand_id=odd.id)

    def verdicts(request):
        assert "Acme (4 products)" in request.user and "indoor herb gardening" in request.user
        return {"verdicts": [{"id": upper.id, "verdict": "enable"}, {"id": gopro.id, "verdict": "delete"}]}

    fake_openai.script(verdicts)
    r = await client.post("/api/brands/clean", json={"niche": "indoor herb gardening"}, headers=h)
    result = ok(r)
    assert fake_openai.calls == 1
    assert result["merged"] == 2 and result["enabled"] == 1 and result["deleted"] == 1
    assert result["kept_disabled"] == 1  # no verdict for "Maybe Brand": left disabled
    brands = await _brands(services, workspace)
    assert brands[upper.id].title == "Acme" and brands[upper.id].enabled
    assert gopro.id not in brands and not brands[odd.id].enabled
    charged = int(r.headers["X-Credits-Charged"])
    assert charged >= 1
    assert await balance(services, workspace) == STARTING_CREDITS - charged
    assert await tokens_used(services, workspace) > 0
    tokens = ok(await client.get("/api/data/openai-tokens", headers=h))
    assert tokens["tokens_used"] == await tokens_used(services, workspace)


@pytest.mark.provider("openai")
async def test_a_failed_call_changes_nothing_and_refunds(client, services, workspace, h, fake_openai):
    (acme, upper, inc), _ = await _acme_family(services, workspace)
    fake_openai.script(Reply(status=500, content="boom"))
    r = await client.post("/api/brands/clean", json={}, headers=h)
    assert r.status_code == 503, r.text
    assert set(await _brands(services, workspace)) == {acme.id, upper.id, inc.id}
    assert await balance(services, workspace) == STARTING_CREDITS
