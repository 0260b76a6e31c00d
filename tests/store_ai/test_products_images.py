"""The ``store.images`` job on a product: its first image rendered CLEAN_WHITE_BG by the listing studio's
rendering, stored through the media port as a ProductImage and shown as its main_image_url; a product without an
image gets a picture from the sources of ``image_source`` (offline: the local rendering)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from domain.media.service import MediaService
from domain.store.ai_flags import AiEnv, AiRequest, start_ai_jobs
from tests.store.conftest import ok
from tests.store_ai.conftest import balance, finished


async def _images_job(services, pro, product_id: int, source: str) -> Any:
    env = AiEnv(providers=services.providers, public_base="http://testserver")
    request = AiRequest(generate_images=True, image_source=source)
    async with services.unit_of_work() as uow:
        [work] = await start_ai_jobs(
            uow, pro.principal, entity="product", entity_id=product_id, request=request, env=env
        )
    assert work.slots == ["main"]
    return await finished(services, work.job.id)


async def _product_images(services, pro, product_id: int) -> list[Any]:
    async with services.unit_of_work() as uow:
        media = MediaService(uow.session, services.media.storage)
        return (await media.product_images(pro.workspace_id, [product_id])).get(product_id, [])


async def test_the_first_image_is_rendered_on_white_and_becomes_the_main_image(client, h, services, pro, stock):
    photo = f"{stock.url}/files/pexels.jpg"
    body = {"title": "Olympus OM-1 camera body", "main_image_url": photo}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    done = await _images_job(services, pro, product["id"], "auto")
    [image] = done.result["images"]
    assert (
        image["slot"] == "main"
        and image["source"] == "rendered"
        and image["attribution"] == {"style": "CLEAN_WHITE_BG"}
    )
    assert stock.searched() == []  # the product's own photo: no stock search
    r = await client.get(image["url"].replace("http://testserver", ""))
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(r.content)).convert("RGB")
    assert picture.size == (1024, 1024)
    assert all(picture.getpixel(corner) == (255, 255, 255) for corner in ((0, 0), (1023, 0), (0, 1023), (1023, 1023)))
    row = ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]
    assert row["main_image_url"] == image["url"]
    [(_, media)] = await _product_images(services, pro, product["id"])
    assert media.content_type == "image/png" and (media.width, media.height) == (1024, 1024)
    assert await balance(services, pro) == 500


async def test_a_product_without_an_image_gets_one_from_its_image_source(client, h, services, pro, stock):
    product = ok(await client.post("/api/products", headers=h, json={"title": "Lens hood"}), 201)["data"]
    done = await _images_job(services, pro, product["id"], "ai")
    [image] = done.result["images"]
    assert image["source"] == "rendered"  # no image model in this process: the local rendering draws it
    row = ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]
    assert row["main_image_url"] == image["url"]
    assert len(await _product_images(services, pro, product["id"])) == 1


async def test_an_image_that_cannot_be_read_fails_the_job(client, h, services, pro, stock):
    body = {"title": "Broken", "main_image_url": f"{stock.url}/files/missing.jpg"}
    product = ok(await client.post("/api/products", headers=h, json=body), 201)["data"]
    env = AiEnv(providers=services.providers, public_base="http://testserver")
    async with services.unit_of_work() as uow:
        [work] = await start_ai_jobs(
            uow,
            pro.principal,
            entity="product",
            entity_id=product["id"],
            request=AiRequest(generate_images=True),
            env=env,
        )
    await finished(services, work.job.id, "failed")
    row = ok(await client.get(f"/api/products/{product['id']}", headers=h))["data"]
    assert row["main_image_url"] == body["main_image_url"]
    assert await _product_images(services, pro, product["id"]) == []
