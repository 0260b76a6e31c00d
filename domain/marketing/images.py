"""The posts' images: one per post, composed with Pillow (``domain.media.render.posts``) from the product's
photos, over a backdrop the image model drew when one is configured."""

from __future__ import annotations

import asyncio

from domain.ai.images import AUTO, OFFLINE, ImageProvider
from domain.ai.ports import ProviderSet
from domain.jobs.registry import JobContext
from domain.listing.image_job import decode
from domain.marketing.copy import PostCopy
from domain.marketing.product import Loaded
from domain.marketing.prompt import backdrop_prompt
from domain.marketing.requests import PostJobParams, PostOptions
from domain.marketing.vision import Look
from domain.media.render import encode
from domain.media.render.palette import accent_of
from domain.media.render.posts import MOODS, PostImageSpec, compose_post

# The document's Socket.IO progress event name, in every progress event's data (the job reports the others).
PROGRESS_EVENT = "post-generation:progress"
MODEL_SIZES = {"post": "1024x1024", "story": "1024x1536"}


def image_model(providers: ProviderSet) -> ImageProvider | None:
    images = providers.images
    if images is None:
        return None
    entry = images.resolve(AUTO)
    return None if entry == OFFLINE else images.get(entry)


async def compose_images(
    ctx: JobContext[PostJobParams],
    providers: ProviderSet,
    options: PostOptions,
    loaded: Loaded,
    copies: list[PostCopy],
    look: Look | None,
    accent: tuple[int, int, int] | None,
) -> tuple[list[bytes], str]:
    """One PNG per post, and who drew the backdrop (``pillow`` or the image model)."""
    params = ctx.params
    model = image_model(providers)
    renderer = "pillow"
    if accent is None and look is not None and look.palette:
        accent = accent_of(look.palette, MOODS[options.mood].accent)
    width, height = options.image_size
    out: list[bytes] = []
    for index, copy in enumerate(copies):
        step = 0.35 + 0.45 * index / len(copies)
        await ctx.progress(
            step,
            f"Composing the {options.image_type} image for post {index + 1} of {len(copies)}.",
            {"step": "image", "event": PROGRESS_EVENT},
        )
        backdrop = None
        if model is not None:
            prompt = params.image_prompt or backdrop_prompt(options, loaded.facts.title, loaded.facts.category)
            generated = await model.generate(f"{prompt}\n(variation {index + 1})", MODEL_SIZES[options.image_type])
            backdrop = await asyncio.to_thread(decode, generated.data, "image model's backdrop")
            renderer = generated.model
        spec = PostImageSpec(
            width=width,
            height=height,
            products=tuple(loaded.photos),
            art_style=options.art_style,
            mood=options.mood,
            background=options.background,
            composition=options.product_composition,
            boldness=options.visual_boldness,
            headline=copy.headline,
            price_badge=loaded.facts.price,
            cta=copy.cta,
            accent=accent,
            subject_boxes=look.subject_boxes if look is not None else (),
            backdrop=backdrop,
            scene_hint=" ".join(filter(None, (loaded.facts.category, options.focus_points, loaded.facts.title))),
            variant=index,
        )
        image = await asyncio.to_thread(compose_post, spec)
        out.append(await asyncio.to_thread(encode, image, "PNG"))
    return out, renderer
