"""The AI flags without an AI provider: the offline composer writes the texts, the local rendering draws the
pictures (nothing is charged: no AI is spent), and stock photos come from the fake providers."""

from __future__ import annotations

import io

from PIL import Image

from domain.store.ai_flags import AiEnv, AiRequest, start_ai_jobs
from tests.store.conftest import ok
from tests.store_ai.conftest import balance, finished, set_settings, with_stock_keys


async def test_category_content_fills_the_documented_fields(client, h, services, pro):
    await set_settings(client, h, store_niche="vintage cameras")
    body = ok(
        await client.post("/api/categories", headers=h, json={"title": "Film SLRs", "generate_ai_content": True}), 201
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["kind"] == "store.ai_content" and job["status"] == "queued" and job["credits"] == 0
    assert job["id"].startswith("job_")
    assert body["data"]["subtitle"] is None  # answered at once; the job fills it
    done = await finished(services, job["id"])
    assert set(done.result["fields"]) == {
        "subtitle", "link_title", "content_top", "content_bottom", "meta_title", "meta_keywords", "meta_description",
    }  # fmt: skip
    category = ok(await client.get(f"/api/categories/{body['data']['id']}", headers=h))["data"]
    for name in done.result["fields"]:
        assert category[name], name
    assert "Film SLRs" in category["meta_title"]
    assert len(category["meta_title"]) <= 60
    assert await balance(services, pro) == 500


async def test_fields_sent_with_the_flag_are_kept(client, h, services):
    body = ok(
        await client.post(
            "/api/articles",
            headers=h,
            json={"title": "Caring for leather camera cases", "subtitle": "Mine", "generate_ai_content": True},
        ),
        201,
    )
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert "subtitle" not in done.result["fields"]
    article = ok(await client.get(f"/api/articles/{body['data']['id']}", headers=h))["data"]
    assert article["subtitle"] == "Mine" and article["content"] and article["generated"]


async def test_no_flags_no_jobs(client, h):
    body = ok(await client.post("/api/articles", headers=h, json={"title": "Plain", "generate_ai_content": False}), 201)
    assert "meta" not in body
    # image_source alone asks for nothing
    body = ok(await client.post("/api/categories", headers=h, json={"title": "Plain", "image_source": "ai"}), 201)
    assert "meta" not in body


async def test_ai_source_without_a_model_renders_locally(client, h, services, stock):
    await with_stock_keys(client, h, "pexels")
    body = ok(
        await client.post(
            "/api/categories", headers=h, json={"title": "Rangefinders", "generate_images": True, "image_source": "ai"}
        ),
        201,
    )
    [job] = body["meta"]["ai_jobs"]
    assert job["kind"] == "store.images" and job["slots"] == ["banner", "listing"] and job["image_source"] == "ai"
    assert job["credits"] == 0
    done = await finished(services, job["id"])
    assert stock.requests == []  # ai: stock is never asked
    sizes = {}
    for image in done.result["images"]:
        assert image["source"] == "rendered"
        r = await client.get(image["url"].replace("http://testserver", ""))
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        sizes[image["slot"]] = Image.open(io.BytesIO(r.content)).size
    assert sizes == {"banner": (1600, 533), "listing": (800, 800)}


async def test_stock_order_skips_providers_without_keys(client, h, services, stock):
    await with_stock_keys(client, h, "unsplash", "pixabay")
    stock.behaviour["unsplash"] = "miss"
    body = ok(
        await client.post(
            "/api/articles",
            headers=h,
            json={"title": "Street photography", "generate_images": ["hero"], "image_source": "stock"},
        ),
        201,
    )
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert stock.searched() == ["unsplash", "pixabay"]  # no pexels key: skipped silently
    [image] = done.result["images"]
    assert image["slot"] == "hero" and image["source"] == "pixabay"
    assert image["attribution"]["photographer"] == "Josch13"
    assert image["attribution"]["search_term"]
    article = ok(await client.get(f"/api/articles/{body['data']['id']}", headers=h))["data"]
    assert article["hero_image_url"] == image["url"] and article["listing_image_url"] is None
    r = await client.get(image["url"].replace("http://testserver", ""))
    assert r.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(r.content)).size == (1536, 1024)


async def test_stock_mode_total_miss_leaves_the_slot_empty(client, h, services, stock):
    await with_stock_keys(client, h, "pexels", "unsplash", "pixabay")
    stock.behaviour.update(pexels="miss", unsplash="miss", pixabay="miss")
    body = ok(
        await client.post(
            "/api/articles",
            headers=h,
            json={"title": "Nothing", "generate_images": ["social"], "image_source": "stock"},
        ),
        201,
    )
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert stock.searched() == ["pexels", "unsplash", "pixabay"]
    assert done.result["images"] == [] and done.result["skipped"] == ["social"]
    assert "stays empty" in done.result["warnings"][0]


async def test_a_refused_key_moves_on_and_unsplash_hears_of_its_use(client, h, services, stock):
    await with_stock_keys(client, h, "unsplash")
    await set_settings(client, h, store_pexels_api_key="wrong")
    body = ok(
        await client.post("/api/articles", headers=h, json={"title": "Lenses", "generate_images": ["listing"]}), 201
    )
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    [image] = done.result["images"]
    assert image["source"] == "unsplash" and image["attribution"]["photographer"] == "Jeff Sheldon"
    assert any("pexels" in w and "401" in w for w in done.result["warnings"])
    assert [r.path for r in stock.requests][-1] == "/unsplash/photos/eOLpJytrbsQ/download"


async def test_auto_without_any_key_behaves_as_ai(client, h, services, stock):
    body = ok(await client.post("/api/categories", headers=h, json={"title": "Tripods", "generate_images": True}), 201)
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert stock.requests == []
    assert [i["source"] for i in done.result["images"]] == ["rendered", "rendered"]


async def test_template_image_source_is_the_default(client, h, services, stock):
    await with_stock_keys(client, h, "pexels")
    await set_settings(client, h, template_image_source="stock")
    body = ok(await client.post("/api/categories", headers=h, json={"title": "Flashes", "generate_images": True}), 201)
    assert body["meta"]["ai_jobs"][0]["image_source"] == "stock"
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert [i["source"] for i in done.result["images"]] == ["pexels", "pexels"]


async def test_pages_have_image_slots_only_on_the_homepage(client, h, services):
    body = ok(await client.post("/api/pages", headers=h, json={"title": "About", "generate_images": True}), 201)
    assert "meta" not in body  # the document: pages other than homepage no-op
    home = ok(await client.get("/api/pages?key=homepage", headers=h))["data"][0]
    body = ok(
        await client.patch(
            f"/api/pages/{home['id']}", headers=h, json={"generate_images": True, "generate_ai_content": True}
        )
    )
    kinds = {j["kind"]: j for j in body["meta"]["ai_jobs"]}
    assert kinds["store.images"]["slots"] == ["hero", "offer_box", "social"]
    images = await finished(services, kinds["store.images"]["id"])
    assert {i["slot"] for i in images.result["images"]} == {"hero", "offer_box", "social"}
    content = await finished(services, kinds["store.ai_content"]["id"])
    assert {"title", "meta_title"} <= set(content.result["fields"])  # offline: nothing known for a body


async def test_a_slot_filled_again_gets_a_new_address(client, h, services):
    body = ok(await client.post("/api/articles", headers=h, json={"title": "Film", "generate_images": ["hero"]}), 201)
    first = (await finished(services, body["meta"]["ai_jobs"][0]["id"])).result["images"][0]["url"]
    patch = {"title": "Film photography", "generate_images": ["hero"]}
    body = ok(await client.patch(f"/api/articles/{body['data']['id']}", headers=h, json=patch))
    second = (await finished(services, body["meta"]["ai_jobs"][0]["id"])).result["images"][0]["url"]
    assert first != second
    assert (await client.get(first.replace("http://testserver", ""))).status_code == 404
    assert (await client.get(second.replace("http://testserver", ""))).status_code == 200
    # Fill empty images copies the hero's address into the other slots.
    filled = ok(await client.post(f"/api/articles/{body['data']['id']}/fill-empty-images", headers=h))
    assert filled["data"]["filled"] == ["listingImage", "socialImage"]


async def test_store_media_addresses_that_name_nothing(client):
    for path in ("/store-media/nope.png", "/store-media/00000000-0000-0000-0000-000000000000.png"):
        r = await client.get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found"


async def test_a_deleted_row_fails_its_job_and_hides_its_pictures(client, h, services):
    body = ok(await client.post("/api/categories", headers=h, json={"title": "Gone", "generate_images": True}), 201)
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    url = done.result["images"][0]["url"].replace("http://testserver", "")
    assert (await client.get(url)).status_code == 200
    assert (await client.delete(f"/api/categories/{body['data']['id']}", headers=h)).status_code == 204
    assert (await client.get(url)).status_code == 404


async def test_stock_mode_without_any_key_says_so(client, h, services, stock):
    body = ok(
        await client.post(
            "/api/articles", headers=h, json={"title": "Keyless", "generate_images": ["hero"], "image_source": "stock"}
        ),
        201,
    )
    done = await finished(services, body["meta"]["ai_jobs"][0]["id"])
    assert done.result["images"] == [] and stock.requests == []
    assert done.result["warnings"] == ["hero: no stock provider has an API key; the slot stays empty."]


async def test_a_brand_content_job_for_the_brand_clean_up(client, h, services, pro):
    """No document write takes a brand's flag; the job is there for the brand clean-up to queue."""
    brand = ok(await client.post("/api/brands", headers=h, json={"title": "Leica"}), 201)["data"]
    env = AiEnv(providers=services.providers, public_base="http://testserver")
    async with services.unit_of_work() as uow:
        [work] = await start_ai_jobs(
            uow, pro.principal, entity="brand", entity_id=brand["id"], request=AiRequest(True, True), env=env
        )
    done = await finished(services, work.job.id)
    assert "meta_title" in done.result["fields"]
    assert ok(await client.get(f"/api/brands/{brand['id']}", headers=h))["data"]["meta_title"]
