"""The ``listing.image`` job through the real runner: offline (Pillow draws every scene) and with an image model
(the fake OpenAI server's image endpoints), the asset row and the stored file, the compliance report, progress,
and the failures (a provider that keeps failing, a source that is not an image, a product without one)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import select

from domain.catalog.models import Brand, Category, Product, ProductCategory
from domain.jobs.models import Job
from domain.listing.jobs import LISTING_IMAGE, ImageJobParams
from domain.listing.models import ListingAsset
from domain.listing.pricing import image_cost, image_size
from domain.media.models import MediaFile
from domain.media.service import MediaService
from resolvers.context import AppServices
from tests.listing.helpers import product_png
from tests.support.factories import WorkspaceInfo, create_job
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import events_of, wait_for

FINISHED = ("completed", "failed")


async def make_product(
    services: AppServices, ws: WorkspaceInfo, *, image: bytes | None = None, main_image_url: str | None = None
) -> int:
    """A catalog product with a brand, a category, highlights and attributes, and (``image``) a stored image."""
    async with services.unit_of_work() as uow:
        session = uow.session
        brand = Brand(workspace_id=ws.workspace_id, slug="leaf-co", title="Leaf & Co")
        category = Category(workspace_id=ws.workspace_id, slug="tea", title="Food & Beverage")
        session.add_all([brand, category])
        await session.flush()
        product = Product(
            workspace_id=ws.workspace_id,
            brand_id=brand.id,
            slug="organic-green-tea",
            title="Organic Green Tea 100g",
            content="<p>Hand-picked green tea leaves from high-altitude gardens.</p>",
            highlights=["Hand-picked leaves", {"text": "Rich in antioxidants"}],
            attributes={"Weight": "100 g", "Height": "12 cm", "Ingredients": "green tea, jasmine", "Origin": "Assam"},
            main_image_url=main_image_url,
        )
        session.add(product)
        await session.flush()
        session.add(ProductCategory(product_id=product.id, category_id=category.id, workspace_id=ws.workspace_id))
        if image is not None:
            media = MediaService(session, services.media.storage)
            stored = await media.store_image(ws.workspace_id, image)
            await media.add_product_image(ws.workspace_id, product.id, stored)
        return product.id


def params(product_id: int, style: str = "CLEAN_WHITE_BG", platform: str = "general", **extra: Any) -> ImageJobParams:
    size = image_size(platform, extra.pop("size", None))
    values: dict[str, Any] = {
        "product_id": product_id,
        "style": style,
        "platform": platform,
        "size": size,
        "credit_cost": image_cost(style, platform, size),
        "ai_model": "auto",
    }
    values.update(extra)
    return ImageJobParams(**values)


async def run_job(services: AppServices, ws: WorkspaceInfo, job_params: ImageJobParams) -> Job:
    job_id = await create_job(services, ws, LISTING_IMAGE, job_params)
    return await wait_for(services, job_id, FINISHED, timeout=60)


async def stored_image(services: AppServices, media_id: str) -> Image.Image:
    async with services.read() as session:
        media = await session.get(MediaFile, media_id)
        assert media is not None
    data = await services.media.storage.get(media.storage_key)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def assets_of(services: AppServices, ws: WorkspaceInfo) -> list[ListingAsset]:
    async with services.read() as session:
        stmt = select(ListingAsset).where(ListingAsset.workspace_id == ws.workspace_id)
        return list((await session.execute(stmt)).scalars())


async def test_amazon_clean_white_offline(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro, image=product_png())
    job = await run_job(services, pro, params(product_id, "CLEAN_WHITE_BG", "amazon"))
    assert job.status == "completed", job.error_message
    result = job.result or {}
    assert result["style"] == "CLEAN_WHITE_BG" and result["platform"] == "amazon" and result["size"] == 2000
    assert result["renderer"] == "pillow"
    assert result["compliance"]["platform"] == "amazon" and result["compliance"]["style"] == "CLEAN_WHITE_BG"
    assert isinstance(result["warnings"], list)
    [asset] = await assets_of(services, pro)
    assert result["assetIds"] == [asset.id] and result["mediaIds"] == [asset.media_id]
    assert asset.status == "generated" and asset.job_id == job.id and asset.product_id == product_id
    assert (asset.width, asset.height) == (2000, 2000) and asset.renderer == "pillow"
    assert asset.compliance == result["compliance"]
    rules = {c["rule"] for c in asset.compliance["checks"]}
    assert rules, "the compliance report names the rules it checked"
    image = await stored_image(services, asset.media_id)
    assert image.format == "PNG" and image.size == (2000, 2000)
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
    messages = [e.message or "" for e in await events_of(services, job.id)]
    for step in ("Loading", "Rendering", "Checking", "Storing"):
        assert any(m.startswith(step) for m in messages), (step, messages)


async def test_an_ai_style_offline_is_drawn_by_pillow(
    services: AppServices, pro: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    product_id = await make_product(services, pro, image=product_png())
    job = await run_job(services, pro, params(product_id, "LIFESTYLE_CONTEXTUAL", "shopify", context="kitchen"))
    assert job.status == "completed", job.error_message
    assert (job.result or {})["renderer"] == "pillow"
    assert fake_openai.calls == 0  # no image model configured: nothing is asked of one


async def test_the_primary_image_url_is_fetched(services: AppServices, pro: WorkspaceInfo, image_server: str) -> None:
    product_id = await make_product(services, pro)
    job = await run_job(services, pro, params(product_id, primary_image_url=f"{image_server}/product.png"))
    assert job.status == "completed", job.error_message
    assert len(await assets_of(services, pro)) == 1


async def test_the_main_image_url_is_the_last_resort(
    services: AppServices, pro: WorkspaceInfo, image_server: str
) -> None:
    product_id = await make_product(services, pro, main_image_url=f"{image_server}/product.png")
    job = await run_job(services, pro, params(product_id, "SHADOW_REFLECTION"))
    assert job.status == "completed", job.error_message


async def test_a_source_that_is_not_an_image_fails_the_job(
    services: AppServices, pro: WorkspaceInfo, image_server: str
) -> None:
    product_id = await make_product(services, pro)
    job = await run_job(services, pro, params(product_id, primary_image_url=f"{image_server}/fake.png"))
    assert job.status == "failed"
    assert "image" in (job.error_message or "").lower()
    assert await assets_of(services, pro) == []


async def test_a_product_without_an_image_fails_the_job(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    job = await run_job(services, pro, params(product_id))
    assert job.status == "failed" and job.error_code == "invalid_source_image"
    assert f"prod_{product_id} has no image" in (job.error_message or "")


async def test_a_product_deleted_before_the_job_ran_fails_it(services: AppServices, pro: WorkspaceInfo) -> None:
    job = await run_job(services, pro, params(999_999))
    assert job.status == "failed" and job.error_code == "not_found"
    assert "prod_999999" in (job.error_message or "")
