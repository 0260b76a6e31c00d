"""What the posts job reads of a catalog product: its facts for the words (the price from its cheapest enabled
offer) and, when images are wanted or analysed, its photos (its stored images, else its main image URL)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from PIL import Image

from domain.catalog.loads import CatalogLoads
from domain.catalog.repository import CatalogRepository
from domain.errors import NotFound
from domain.jobs.registry import JobContext
from domain.listing.image_job import MediaNotConfigured, SourceImageError, decode, product_facts
from domain.marketing.copy import PostFacts
from domain.marketing.requests import PostJobParams
from domain.marketing.vision import Look
from domain.media.ports import MediaPorts
from domain.media.service import MediaService

MAX_PHOTOS = 3
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def price_text(amount: float | None, currency: str | None) -> str | None:
    if amount is None:
        return None
    code = (currency or "").upper()
    number = f"{amount:,.0f}" if code == "JPY" else f"{amount:,.2f}"
    return f"{_SYMBOLS[code]}{number}" if code in _SYMBOLS else f"{number} {code}".strip()


@dataclass
class Loaded:
    facts: PostFacts
    photos: list[Image.Image]


async def load(ctx: JobContext[PostJobParams], media: MediaPorts | None, want_photos: bool) -> Loaded:
    params = ctx.params
    async with ctx.unit_of_work() as uow:
        catalog = CatalogLoads(uow.session)
        product = await catalog.get_product(ctx.workspace_id, params.product_id)
        if product is None:
            raise NotFound(f"Product {params.product_id} is no longer in the catalog.")
        brand = (
            (await catalog.brands(ctx.workspace_id, [product.brand_id])).get(product.brand_id)
            if product.brand_id
            else None
        )
        categories = (await catalog.categories_for_products(ctx.workspace_id, [product.id])).get(product.id, [])
        offers = (await CatalogRepository(uow.session).offers_for_products(ctx.workspace_id, [product.id])).get(
            product.id, []
        )
        stored = []
        if want_photos and media is not None:
            found = await MediaService(uow.session, media.storage).product_images(ctx.workspace_id, [product.id])
            stored = [m for _, m in found.get(product.id, [])][:MAX_PHOTOS]
        main_url = product.main_image_url
        review_score, review_count = product.review_score, product.review_quantity
    base = product_facts(product, brand.title if brand else None, categories[0].title if categories else None)
    priced = [o for o in offers if o.enabled and o.price is not None]
    cheapest = min(priced, key=lambda o: o.price or 0.0) if priced else None
    price = price_text(cheapest.price, cheapest.currency) if cheapest else base.price
    facts = PostFacts(
        title=base.title,
        brand=base.brand,
        category=base.category,
        price=price,
        description=base.description,
        features=base.features,
        attributes=base.specs + base.dimensions,
        review_score=review_score,
        review_count=review_count,
    )
    photos: list[Image.Image] = []
    if want_photos:
        if media is None:
            raise MediaNotConfigured("Post images need media storage, and none is configured.")
        # Read outside the transaction: slow storage never holds a database connection.
        blobs = [await media.storage.get(m.storage_key) for m in stored]
        if not blobs and main_url:
            blobs = [(await media.fetcher.fetch(main_url, field="imageUrl")).data]
        if not blobs:
            raise SourceImageError(f"Product {params.product_id} has no image to compose or analyse.")
        photos = [await asyncio.to_thread(decode, b, "product image") for b in blobs]
    return Loaded(facts, photos)


def with_look(facts: PostFacts, look: Look | None) -> PostFacts:
    if look is None:
        return facts
    features = tuple(dict.fromkeys(facts.features + look.selling_points))
    return PostFacts(**{**facts.__dict__, "seen": look.description, "colours": look.colour_names, "features": features})
