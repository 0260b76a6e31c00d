"""What the listing tests share: images to serve, a registry with the listing job kinds, and small request
helpers over the surface."""

from __future__ import annotations

import io
import random
from typing import Any

import httpx
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from domain.accounts.models import CreditEntry
from domain.catalog.models import Product
from domain.jobs.models import Job
from domain.jobs.registry import JobRegistry
from domain.listing.jobs import LISTING_KINDS
from domain.listing.models import ListingAsset
from domain.listing.repository import AssetRepository
from domain.media.models import MediaFile
from domain.media.service import MediaService
from resolvers.context import AppServices
from tests.conftest import make_test_registry
from tests.support.factories import WorkspaceInfo

API = "/listing/api"
FETCH_MAX_BYTES = 200_000


def listing_registry() -> JobRegistry:
    registry = make_test_registry()
    for kind in LISTING_KINDS:
        registry.register(kind)
    return registry


def product_png(size: int = 400) -> bytes:
    """A red product on a light grey backdrop: small, and easy for the renderer to cut out."""
    image = Image.new("RGB", (size, size), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size // 4, size // 5, size * 3 // 4, size * 4 // 5), fill=(200, 30, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def noise_png(size: int) -> bytes:
    """An image that does not compress: larger than the fetch limit at 400 px."""
    image = Image.frombytes("RGB", (size, size), random.Random(7).randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def create_product(
    client: httpx.AsyncClient, ws: WorkspaceInfo, image_url: str | None = None, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"title": fields.pop("title", "Organic Green Tea 100g"), **fields}
    if image_url is not None:
        body["imageUrl"] = image_url
    response = await client.post(f"{API}/products", json=body, headers=ws.headers())
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def credits(client: httpx.AsyncClient, ws: WorkspaceInfo) -> dict[str, Any]:
    response = await client.get(f"{API}/billing/credits", headers=ws.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def solid_png(color: tuple[int, int, int], size: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "PNG")
    return out.getvalue()


def bare_id(ref: str) -> int:
    """``prod_12`` -> 12."""
    return int(ref.removeprefix("prod_"))


async def add_asset(
    services: AppServices,
    ws: WorkspaceInfo,
    product_ref: str,
    *,
    style: str = "CLEAN_WHITE_BG",
    platform: str = "amazon",
    status: str = "generated",
    color: tuple[int, int, int] = (10, 20, 30),
) -> str:
    """An asset as the image job writes one (its own bytes, so each is its own file); its bare id."""
    async with services.unit_of_work() as uow:
        media = await MediaService(uow.session, services.media.storage).store_image(ws.workspace_id, solid_png(color))
        asset = ListingAsset(
            workspace_id=ws.workspace_id,
            product_id=bare_id(product_ref),
            media_id=media.id,
            style=style,
            platform=platform,
            width=64,
            height=64,
            status=status,
            compliance={"platform": platform, "style": style, "passed": True, "checks": []},
            renderer="pillow",
        )
        await AssetRepository(uow.session).add(asset)
        return asset.id


WRITTEN = {
    "products": (Product, Product.workspace_id),
    "jobs": (Job, Job.workspace_id),
    "media": (MediaFile, MediaFile.workspace_id),
    "assets": (ListingAsset, ListingAsset.workspace_id),
    "ledger": (CreditEntry, CreditEntry.workspace_id),
}


async def written(services: AppServices, ws: WorkspaceInfo) -> dict[str, int]:
    """How many rows of each kind the workspace has: to prove a refused request wrote nothing."""
    out: dict[str, int] = {}
    async with services.read() as session:
        for name, (model, column) in WRITTEN.items():
            stmt = select(func.count()).select_from(model).where(column == ws.workspace_id)
            out[name] = int((await session.execute(stmt)).scalar_one())
    return out
