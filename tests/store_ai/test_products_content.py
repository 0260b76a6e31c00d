"""The ``store.ai_content`` job on a product, offline (the offline composer writes, nothing is charged): every
product field the store document lists is written, the ones the product already holds are kept."""

from __future__ import annotations

from domain.accounts.principal import Principal
from domain.jobs.service import JobService
from domain.store.ai_content import STORE_AI_CONTENT, ContentJobParams
from tests.store.conftest import ok
from tests.store_ai.conftest import balance, finished, set_settings

PRODUCT_FIELDS = {
    "subtitle", "link_title", "content", "content_bottom", "highlights", "summary",
    "meta_title", "meta_keywords", "meta_description",
}  # fmt: skip


async def _queue(services, workspace_id: str, product_id: int) -> str:
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(
            Principal(workspace_id=workspace_id, permissions=frozenset()),
            kind=STORE_AI_CONTENT,
            params=ContentJobParams(entity="product", entity_id=product_id),
        )
    return job.id


async def test_product_content_fills_every_field(client, h, services, pro):
    await set_settings(client, h, store_niche="vintage cameras")
    product = ok(await client.post("/api/products", headers=h, json={"title": "Pentax K1000 35mm camera"}), 201)
    done = await finished(services, await _queue(services, pro.workspace_id, product["data"]["id"]))
    assert set(done.result["fields"]) == PRODUCT_FIELDS
    row = ok(await client.get(f"/api/products/{product['data']['id']}", headers=h))["data"]
    for name in PRODUCT_FIELDS:
        assert row[name], name
    assert isinstance(row["highlights"], list) and all(isinstance(h, str) and h for h in row["highlights"])
    assert "Pentax K1000" in row["meta_title"] and len(row["meta_title"]) <= 60
    assert row["generated"] is True
    assert await balance(services, pro) == 500


async def test_fields_the_product_holds_are_kept(client, h, services, pro):
    await set_settings(client, h, store_niche="vintage cameras")
    body = {"title": "Canon AE-1", "subtitle": "Mine", "highlights": ["Weighs 590 g"], "meta_title": "My title"}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    done = await finished(services, await _queue(services, pro.workspace_id, product["id"]))
    assert set(done.result["fields"]) == PRODUCT_FIELDS - {"subtitle", "highlights", "meta_title"}
    row = ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]
    assert (row["subtitle"], row["highlights"], row["meta_title"]) == ("Mine", ["Weighs 590 g"], "My title")
    assert row["content"] and row["summary"]


async def test_a_product_holding_every_field_writes_nothing(client, h, services, pro):
    body = {name: "Set" for name in PRODUCT_FIELDS - {"highlights"}} | {"title": "Full", "highlights": ["Set"]}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    done = await finished(services, await _queue(services, pro.workspace_id, product["id"]))
    assert done.result["fields"] == [] and done.prompt_tokens == 0
    assert ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]["generated"] is False


async def test_a_deleted_product_fails_its_job(client, h, services, pro):
    product = ok(await client.post("/api/products", headers=h, json={"title": "Gone"}), 201)["data"]
    assert (await client.delete(f"/api/products/{product['id']}", headers=h)).status_code in (200, 204)
    job = await finished(services, await _queue(services, pro.workspace_id, product["id"]), "failed")
    assert "no longer exists" in (job.error_message or "")
