"""The ``listing.image`` job: one listing image of a catalog product, in a style, for a platform.

1. load the product (its facts for the layouts) and its source image: ``primary_image_url`` when the request
   gave one (fetched through the media port's guarded fetcher), else the product's first stored image, else its
   ``main_image_url``;
2. for the photographic styles (``Style.ai_scene``) with an image model configured (``aiModel`` ``auto`` picks
   one; ``openai``/``gemini`` name one), ask it for the scene from the source image; otherwise Pillow draws it;
3. render the layout (Pillow, in a thread), check it against the platform's rules (from its pixels), encode it;
4. store the PNG once (media) and write the ``ListingAsset`` with its compliance report, in one transaction.

A provider that keeps failing, a source that is not an image, or a product that is gone fails the job with a
clear message; the credits come back through the job service's terminal hook.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFilter, UnidentifiedImageError

from domain.ai.images import OFFLINE, GeneratedImage
from domain.ai.ports import ProviderSet
from domain.catalog.loads import CatalogLoads
from domain.catalog.models import Product
from domain.content.products import text_of, text_of_html
from domain.errors import DomainError, NotFound
from domain.jobs.registry import JobContext
from domain.listing.models import GENERATED, ListingAsset
from domain.listing.pricing import STYLES
from domain.listing.repository import AssetRepository
from domain.media.compliance import check
from domain.media.models import MediaFile
from domain.media.ports import MediaPorts
from domain.media.render import ProductFacts, RenderRequest, cutout, encode, render
from domain.media.service import MediaService

if TYPE_CHECKING:
    from domain.listing.jobs import ImageJobParams

PILLOW = "pillow"
MODEL_SIZE = "1024x1024"  # every image model serves square 1024; the layout scales the scene to the output size
MODEL_SOURCE_EDGE = 1024  # the source sent to the model: no larger than what it draws
MAX_SOURCE_PIXELS = 50_000_000
MAX_FEATURES = 8
MAX_SPECS = 10

_DIMENSION_KEYS = ("height", "width", "depth", "length", "diameter", "weight", "dimension", "size", "capacity")
_INGREDIENT_KEYS = ("ingredient", "composition", "material")
_SKIPPED_KEYS = ("brand", "description", "howtouse", "how_to_use", "reviews")


class SourceImageError(DomainError, status=422, code="invalid_source_image"):
    """The product's source image is missing or cannot be decoded."""


class MediaNotConfigured(DomainError, status=503, code="media_not_configured"):
    """The job has no media storage to read the source from and keep the result in."""


# --- product facts ------------------------------------------------------------------------------


def _feature_text(item: Any) -> str:
    if isinstance(item, Mapping):
        for key in ("text", "title", "name", "value", "description"):
            if item.get(key):
                return text_of(item[key])
        return ""
    return text_of(item)


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def product_facts(product: Product, brand: str | None, category: str | None) -> ProductFacts:
    """What the layouts may show, from the catalog product: highlights are its features; its attributes become
    dimensions (height, weight ...), ingredients (ingredients, composition, materials) or specs."""
    description = ""
    for value in (product.summary, product.content, product.subtitle):
        description = text_of_html(value) if value else ""
        if description:
            break
    features = [f for f in (_feature_text(h) for h in (product.highlights or [])) if f]
    attributes: Mapping[str, Any] = product.attributes if isinstance(product.attributes, Mapping) else {}
    specs: list[tuple[str, str]] = []
    dimensions: list[tuple[str, str]] = []
    ingredients: list[str] = []
    for raw_name, raw_value in attributes.items():
        name, value = str(raw_name).strip(), raw_value
        key = _key(name)
        if not name or key in _SKIPPED_KEYS or value in (None, "", []):
            continue
        label = name.replace("_", " ").strip().capitalize()
        if any(k in key for k in _INGREDIENT_KEYS):
            items = value if isinstance(value, list) else str(value).split(",")
            ingredients += [text_of(i) for i in items if text_of(i)]
        elif any(k in key for k in _DIMENSION_KEYS):
            dimensions.append((label, text_of(value)))
        else:
            specs.append((label, text_of(value)))
    if not brand and isinstance(attributes.get("brand"), str):
        brand = str(attributes["brand"]).strip() or None
    price = text_of(attributes.get("price")) if attributes.get("price") not in (None, "") else None
    return ProductFacts(
        title=product.title,
        brand=brand or None,
        category=category,
        description=description or None,
        features=tuple(dict.fromkeys(features))[:MAX_FEATURES],
        specs=tuple(specs[:MAX_SPECS]),
        ingredients=tuple(dict.fromkeys(ingredients)),
        dimensions=tuple(dimensions[:MAX_SPECS]),
        price=price,
    )


# --- the scene prompt ---------------------------------------------------------------------------

_SCENES: dict[str, str] = {
    "LIFESTYLE_CONTEXTUAL": "Show this product in use in a realistic {context}, photographed in natural light.",
    "LIFESTYLE_INFOGRAPHIC": "Show this product in a realistic {context}, photographed in natural light; keep the "
    "left third of the picture calm and uncluttered for text callouts.",
    "MODEL_LIFESTYLE": "Show a person naturally using this product in a {context}, candid lifestyle photography.",
    "MODEL_LIFESTYLE_INFOGRAPHIC": "Show a person naturally using this product in a {context}; keep the left third "
    "of the picture calm and uncluttered for text callouts.",
    "MODEL_STUDIO": "Show a model holding this product against a clean, light studio background, soft studio light.",
    "SEASONAL_VARIANT": "Show this product in a {season} themed setting with tasteful seasonal decorations.",
}


_BACKDROPS: dict[str, str] = {
    "MODEL_LIFESTYLE": "a candid lifestyle photograph of a person in a {context}",
    "MODEL_LIFESTYLE_INFOGRAPHIC": "a candid lifestyle photograph of a person in a {context}, the left third calm "
    "and uncluttered",
    "MODEL_STUDIO": "a model in a clean, light photo studio, soft studio light",
    "SEASONAL_VARIANT": "a {season} themed setting with tasteful seasonal decorations",
    "LIFESTYLE_INFOGRAPHIC": "a realistic {context} in natural light, the left third calm and uncluttered",
}


def backdrop_prompt(params: ImageJobParams, facts: ProductFacts) -> str:
    """For a model that cannot draw from the source image: the empty scene the real product is placed into."""
    template = _BACKDROPS.get(params.style, "a realistic {context} in natural light")
    scene = template.format(
        context=params.context or "everyday setting that suits the product",
        season=params.season or "festive holiday",
    )
    lines = [
        f"Photorealistic picture of {scene}, as the backdrop for a product photo of: {facts.title}"
        + (f" ({facts.category})." if facts.category else "."),
        "Leave a clear, empty surface in the lower centre of the picture where the product will be placed; show "
        "no products or packaging there. No text, logos or watermarks.",
    ]
    if params.custom_prompt:
        lines.append(f"Additional direction: {params.custom_prompt}")
    return "\n".join(lines)


def scene_prompt(params: ImageJobParams, facts: ProductFacts) -> str:
    """What the image model is asked to draw: the style's scene, where and when (``context``, ``season``), the
    product as it is in the source image, and the request's own ``customPrompt`` last."""
    template = _SCENES.get(params.style, "Show this product in a realistic {context}.")
    what = facts.title + (f" by {facts.brand}" if facts.brand else "")
    what += f" ({facts.category})" if facts.category else ""
    lines = [
        f"Product: {what}.",
        template.format(
            context=params.context or "everyday setting that suits the product",
            season=params.season or "festive holiday",
        ),
        "Keep the product exactly as in the source image: the same shape, colours, label and proportions, fully "
        "visible and in sharp focus near the centre. Photorealistic. No added text, logos or watermarks.",
    ]
    if params.custom_prompt:
        lines.append(f"Additional direction: {params.custom_prompt}")
    return "\n".join(lines)


# --- pixels (CPU-bound: run in a thread) --------------------------------------------------------


def decode(data: bytes, what: str) -> Image.Image:
    """The image in ``data``, loaded, as RGB or RGBA; ``SourceImageError`` when it is not one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise SourceImageError(f"The {what} is {image.width} x {image.height} pixels: too large to use.")
            image.load()
    except SourceImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SourceImageError(f"The {what} is not an image in a supported format.") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise SourceImageError(f"The {what} cannot be decoded: {exc}.") from None
    return image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")


def place_product(backdrop: Image.Image, source: Image.Image) -> Image.Image:
    """The real product (its cut-out) standing on the lower centre of a generated backdrop, with a soft contact
    shadow: the scene the layouts expect, with the product in it."""
    scene = backdrop.convert("RGB")
    width, height = scene.size
    product = cutout(source)
    bbox = product.getbbox()
    if bbox:
        product = product.crop(bbox)
    scale = min(width * 0.5 / product.width, height * 0.55 / product.height)
    product = product.resize((max(1, round(product.width * scale)), max(1, round(product.height * scale))))
    left, bottom = (width - product.width) // 2, round(height * 0.88)
    top = bottom - product.height
    shadow = Image.new("L", scene.size, 0)
    spread = product.width * 0.55
    ImageDraw.Draw(shadow).ellipse(
        (width / 2 - spread, bottom - height * 0.02, width / 2 + spread, bottom + height * 0.025), fill=110
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(2, height // 80)))
    scene.paste(Image.new("RGB", scene.size, (0, 0, 0)), (0, 0), shadow)
    scene.paste(product, (left, top), product)
    return scene


def model_source(image: Image.Image) -> bytes:
    """The source as the PNG an image model is sent, no larger than what it draws."""
    copy = image.copy()
    copy.thumbnail((MODEL_SOURCE_EDGE, MODEL_SOURCE_EDGE))
    out = io.BytesIO()
    copy.save(out, format="PNG")
    return out.getvalue()


# --- the job ------------------------------------------------------------------------------------


async def _load(ctx: JobContext[ImageJobParams], media: MediaPorts) -> tuple[ProductFacts, bytes, str]:
    """The product's facts, its source image bytes, and where they came from (for messages)."""
    params = ctx.params
    async with ctx.unit_of_work() as uow:
        catalog = CatalogLoads(uow.session)
        product = await catalog.get_product(ctx.workspace_id, params.product_id)
        if product is None:
            raise NotFound(f"Product prod_{params.product_id} is no longer in the catalog.")
        brand = None
        if product.brand_id is not None:
            brand = (await catalog.brands(ctx.workspace_id, [product.brand_id])).get(product.brand_id)
        categories = (await catalog.categories_for_products(ctx.workspace_id, [product.id])).get(product.id, [])
        facts = product_facts(product, brand.title if brand else None, categories[0].title if categories else None)
        stored: MediaFile | None = None
        if not params.primary_image_url:
            images = await MediaService(uow.session, media.storage).product_images(ctx.workspace_id, [product.id])
            first = images.get(product.id) or []
            stored = first[0][1] if first else None
        fallback_url = product.main_image_url
    if params.primary_image_url:
        fetched = await media.fetcher.fetch(params.primary_image_url, field="primaryImageUrl")
        return facts, fetched.data, "primaryImageUrl"
    if stored is not None:
        # Read outside the transaction: a slow storage backend never holds a database connection.
        return facts, await media.storage.get(stored.storage_key), "the product's first image"
    if fallback_url:
        fetched = await media.fetcher.fetch(fallback_url, field="primaryImageUrl")
        return facts, fetched.data, "the product's main image URL"
    raise SourceImageError(
        f"Product prod_{params.product_id} has no image: add one (imageUrl) or send primaryImageUrl."
    )


async def _scene(
    ctx: JobContext[ImageJobParams], providers: ProviderSet, source: Image.Image, facts: ProductFacts
) -> tuple[Image.Image | None, str]:
    """The image model's scene for a photographic style, and who drew it (``pillow`` when no model does)."""
    from domain.listing.jobs import check_ai_model  # the kinds module imports this one

    params = ctx.params
    if not STYLES[params.style].ai_scene:
        return None, PILLOW
    entry = check_ai_model(providers, params.ai_model)
    provider = providers.images.get(entry) if providers.images is not None and entry != OFFLINE else None
    if provider is None:
        return None, PILLOW
    await ctx.progress(0.2, f"Asking the {entry} image model ({provider.model}) for the scene.", {"step": "scene"})
    what = f"{entry} image model's scene"
    if provider.edits:
        png = await asyncio.to_thread(model_source, source)
        generated: GeneratedImage = await provider.edit(png, scene_prompt(params, facts), MODEL_SIZE)
        return await asyncio.to_thread(decode, generated.data, what), generated.model
    generated = await provider.generate(backdrop_prompt(params, facts), MODEL_SIZE)
    backdrop = await asyncio.to_thread(decode, generated.data, what)
    return await asyncio.to_thread(place_product, backdrop, source), generated.model


async def run(ctx: JobContext[ImageJobParams]) -> dict[str, Any]:
    """The ``listing.image`` job handler."""
    params = ctx.params
    providers = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    media = providers.media
    if media is None:
        raise MediaNotConfigured("Listing images need media storage, and none is configured.")

    await ctx.progress(0.05, f"Loading product prod_{params.product_id} and its source image.", {"step": "loading"})
    facts, data, origin = await _load(ctx, media)
    source = await asyncio.to_thread(decode, data, f"source image ({origin})")
    scene, renderer = await _scene(ctx, providers, source, facts)

    rendering = f"Rendering {params.style} at {params.size} px for {params.platform}."
    await ctx.progress(0.5, rendering, {"step": "rendering"})
    request = RenderRequest(
        style=params.style,
        size=params.size,
        platform=params.platform,
        source=source,
        facts=facts,
        custom_prompt=params.custom_prompt,
        context=params.context,
        season=params.season,
        scene=scene,
    )
    rendered = await asyncio.to_thread(render, request)

    await ctx.progress(0.75, f"Checking the image against {params.platform}'s rules.", {"step": "checking"})
    report = await asyncio.to_thread(
        check, rendered.image, platform=params.platform, style=params.style, has_text=rendered.has_text
    )
    png = await asyncio.to_thread(encode, rendered.image, "PNG")

    await ctx.progress(0.9, "Storing the image.", {"step": "storing"})
    async with ctx.unit_of_work() as uow:
        stored = await MediaService(uow.session, media.storage).store_image(ctx.workspace_id, png)
        assets = AssetRepository(uow.session)
        # A retried attempt replaces what an earlier one wrote: one job, one asset.
        asset = await assets.for_job(ctx.workspace_id, ctx.job_id) or ListingAsset(
            workspace_id=ctx.workspace_id, product_id=params.product_id, job_id=ctx.job_id, status=GENERATED
        )
        asset.media_id = stored.id
        asset.style, asset.platform, asset.renderer = params.style, params.platform, renderer
        asset.width, asset.height = rendered.image.width, rendered.image.height
        asset.compliance = report.to_json()
        await assets.add(asset)
        asset_id, media_id = asset.id, stored.id
    return {
        "assetIds": [asset_id],
        "mediaIds": [media_id],
        "style": params.style,
        "platform": params.platform,
        "size": params.size,
        "renderer": renderer,
        "compliance": report.to_json(),
        # What the renderer had to settle for (a background it could not remove) is a warning too.
        "warnings": [*report.warnings(), *rendered.notes],
    }
