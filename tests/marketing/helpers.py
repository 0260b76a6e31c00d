"""What the marketing tests share: a registry with the posts job, a catalog product with offers and photos, and
small measurements on images."""

from __future__ import annotations

import io
from typing import Any

import httpx
import numpy as np
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from domain.catalog.models import Brand, Offer, OfferProduct, Product
from domain.jobs.models import Job
from domain.jobs.registry import JobRegistry
from domain.marketing.job import MARKETING_POSTS
from domain.marketing.models import MarketingPost, StorefrontPost
from domain.media.models import MediaFile
from domain.media.service import MediaService
from resolvers.context import AppServices
from tests.conftest import make_test_registry
from tests.support.factories import WorkspaceInfo
from tests.support.jobs import wait_for

PREFIX = "/api/v1/workspace"


def marketing_registry() -> JobRegistry:
    registry = make_test_registry()
    registry.register(MARKETING_POSTS)
    return registry


def bottle_png(color: tuple[int, int, int] = (200, 30, 40), size: int = 400) -> bytes:
    """A bottle on a light grey backdrop: easy to cut out, one clear colour."""
    image = Image.new("RGB", (size, size), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((size * 35 // 100, size // 5, size * 65 // 100, size * 85 // 100), 20, fill=color)
    draw.rectangle((size * 42 // 100, size // 8, size * 58 // 100, size // 5), fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def make_product(
    services: AppServices,
    ws: WorkspaceInfo,
    *,
    title: str = "Rose Glow Face Serum 30ml",
    price: float | None = 24.99,
    photo: bytes | None = None,
) -> int:
    """A catalog product with a brand, highlights, attributes, an offer and (unless ``photo`` is b"") a photo."""
    async with services.unit_of_work() as uow:
        brand = Brand(workspace_id=ws.workspace_id, slug="lumi", title="Lumi")
        uow.session.add(brand)
        await uow.session.flush()
        product = Product(
            workspace_id=ws.workspace_id,
            brand_id=brand.id,
            slug=title.lower().replace(" ", "-"),
            title=title,
            summary="A lightweight serum with rosehip oil and vitamin C for a brighter look.",
            highlights=["Brightens dull skin in two weeks", "Vegan and cruelty-free", "Absorbs in seconds"],
            attributes={"Volume": "30 ml", "Skin type": "All skin types"},
            review_score=4.7,
            review_quantity=182,
        )
        uow.session.add(product)
        await uow.session.flush()
        if price is not None:
            offer = Offer(
                workspace_id=ws.workspace_id,
                merchant="shop",
                merchant_offer_id=f"o-{product.id}",
                title=title,
                currency="USD",
                price=price,
                url_detail="https://shop.example.com/p",
            )
            uow.session.add(offer)
            await uow.session.flush()
            uow.session.add(OfferProduct(offer_id=offer.id, product_id=product.id, workspace_id=ws.workspace_id))
        if photo != b"":
            media = MediaService(uow.session, services.media.storage)
            stored = await media.store_image(ws.workspace_id, photo or bottle_png())
            await media.add_product_image(ws.workspace_id, product.id, stored)
        return product.id


async def submit(
    client: httpx.AsyncClient, ws: WorkspaceInfo, product_id: int | str, token: str | None = None, **query: Any
) -> httpx.Response:
    params = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in query.items()}
    path = f"{PREFIX}/{ws.workspace_id}/storefront/products/{product_id}/generate-post"
    return await client.post(path, params=params, headers=ws.headers(token))


async def run_posts(
    client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo, product_id: int, **query: Any
) -> dict[str, Any]:
    """Submit, wait for the job, and return its result (the completion payload)."""
    response = await submit(client, ws, product_id, **query)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"jobId", "status"} and body["status"] == "queued"
    job = await wait_for(services, body["jobId"], ["completed", "failed"], timeout=60)
    assert job.status == "completed", (job.error_code, job.error_message)
    assert job.result is not None
    return job.result


async def image_of(services: AppServices, ws: WorkspaceInfo, media_id: str) -> Image.Image:
    async with services.read() as session:
        media = await session.get(MediaFile, media_id)
        assert media is not None and media.workspace_id == ws.workspace_id
    data = await services.media.storage.get(media.storage_key)
    return Image.open(io.BytesIO(data)).convert("RGB")


async def first_image(
    client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo, product_id: int, **query: Any
) -> Image.Image:
    result = await run_posts(client, services, ws, product_id, generateImages=True, postsCount=1, **query)
    return await image_of(services, ws, result["posts"][0]["imageMediaId"])


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute pixel difference (0-255) of two images of the same size."""
    assert a.size == b.size
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def mean_colour(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> tuple[float, float, float]:
    part = np.asarray(image.crop(box) if box else image, dtype=np.float32)
    r, g, b = part.reshape(-1, 3).mean(axis=0)
    return float(r), float(g), float(b)


def saturation(image: Image.Image) -> float:
    hsv = np.asarray(image.convert("HSV"), dtype=np.float32)
    return float(hsv[..., 1].mean())


WRITTEN = {
    "jobs": (Job, Job.workspace_id),
    "posts": (MarketingPost, MarketingPost.workspace_id),
    "entries": (StorefrontPost, StorefrontPost.workspace_id),
}


async def written(services: AppServices, ws: WorkspaceInfo) -> dict[str, int]:
    out: dict[str, int] = {}
    async with services.read() as session:
        for name, (model, column) in WRITTEN.items():
            stmt = select(func.count()).select_from(model).where(column == ws.workspace_id)
            out[name] = int((await session.execute(stmt)).scalar_one())
    return out
