"""A product's picture for the ``store.images`` job: the listing studio's ``CLEAN_WHITE_BG`` rendering
(``domain.media.render``) of the product's first image (its first stored ``ProductImage``, else its
``main_image_url`` fetched through the media port). A product without an image gets a picture from the stock or
image-model sources instead, per ``image_source`` (the job's usual slot path): there is no product photo to cut
out. The job stores the picture as the product's newest ``ProductImage`` and shows it as ``main_image_url``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.loads import CatalogLoads
from domain.catalog.models import Product
from domain.listing.image_job import decode, product_facts
from domain.media.models import MediaFile
from domain.media.ports import MediaPorts
from domain.media.render import ProductFacts, RenderRequest, encode, render
from domain.media.service import MediaService
from domain.store.image_sources import RENDERED, Picture, Slot

STYLE = "CLEAN_WHITE_BG"
PLATFORM = "general"
SLOT = Slot("main", 1024, 1024, "square product photo on a clean white background for an online shop")


@dataclass(frozen=True)
class ProductSource:
    """What the rendering starts from, read in the job's first transaction."""

    facts: ProductFacts
    stored: MediaFile | None
    url: str | None

    @property
    def has_image(self) -> bool:
        return self.stored is not None or bool(self.url)


async def load_source(session: AsyncSession, media: MediaPorts, workspace_id: str, product: Product) -> ProductSource:
    catalog = CatalogLoads(session)
    brand = None
    if product.brand_id is not None:
        brand = (await catalog.brands(workspace_id, [product.brand_id])).get(product.brand_id)
    categories = (await catalog.categories_for_products(workspace_id, [product.id])).get(product.id, [])
    facts = product_facts(product, brand.title if brand else None, categories[0].title if categories else None)
    images = await MediaService(session, media.storage).product_images(workspace_id, [product.id])
    first = images.get(product.id) or []
    return ProductSource(facts, first[0][1] if first else None, product.main_image_url)


async def studio_picture(media: MediaPorts, source: ProductSource) -> Picture:
    """The product's first image rendered ``CLEAN_WHITE_BG`` at the slot's size. Read and fetched outside any
    transaction: a slow storage backend or merchant image host never holds a database connection."""
    if source.stored is not None:
        data = await media.storage.get(source.stored.storage_key)
    else:
        assert source.url
        data = (await media.fetcher.fetch(source.url, field="main_image_url")).data
    image = await asyncio.to_thread(decode, data, "product's first image")
    request = RenderRequest(style=STYLE, size=SLOT.width, platform=PLATFORM, source=image, facts=source.facts)
    rendered = await asyncio.to_thread(render, request)
    png = await asyncio.to_thread(encode, rendered.image, "PNG")
    return Picture(png, "image/png", RENDERED, {"style": STYLE})
