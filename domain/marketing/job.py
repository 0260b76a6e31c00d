"""The ``marketing.posts`` job: 1-3 distinct posts for a catalog product, with an image each when asked.

1. load the product's facts (title, brand, category, price from its offers, highlights, attributes, reviews)
   and, when images are wanted or analysed, its photos (``product.py``);
2. ``useProductImages``: what the photos show (a vision call with a provider; the pixels offline: ``vision.py``);
3. the words: one structured call with a provider, the offline composer without (``copy.py``);
4. ``generateImages``: one image per post, 1080x1080 (post) or 1080x1920 (story), composed with Pillow from
   the photos; with an image model configured, the model draws the backdrop (``images.py``);
5. store the images, the posts and their storefront entries in one transaction.

Each step reports progress with its own message (``step``: loading, vision, text, image, storing, then
completed with the completion payload). The result is the document's ``post-generation:completed`` payload.
"""

from __future__ import annotations

from typing import Any

from domain.ai.ports import ProviderSet
from domain.ai.service import UsageMeter, resolve_model
from domain.base import utcnow
from domain.jobs.registry import JobContext, JobKind
from domain.marketing.copy import compose_offline, compose_with_provider
from domain.marketing.images import PROGRESS_EVENT, compose_images, image_model
from domain.marketing.models import MarketingPost
from domain.marketing.product import load, with_look
from domain.marketing.prompt import apply_offline
from domain.marketing.repository import MarketingRepository
from domain.marketing.requests import PostJobParams, PostOptions
from domain.marketing.vision import Look, look_offline, look_with_provider
from domain.media.service import MediaService

# The document's Socket.IO event names, kept in the progress events' data so a client can map them one to one.
COMPLETED_EVENT = "post-generation:completed"


async def run(ctx: JobContext[PostJobParams]) -> dict[str, Any]:
    """The ``marketing.posts`` job handler."""
    params = ctx.params
    providers = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    options: PostOptions = PostOptions.model_validate(params.model_dump(exclude={"product_id"}))
    drawing_model = image_model(providers) if params.generate_images else None
    accent: tuple[int, int, int] | None = None
    prompt_changes: list[str] = []
    if params.image_prompt and drawing_model is None:
        options, accent, prompt_changes = apply_offline(options, params.image_prompt)
    want_photos = params.generate_images or params.use_product_images

    await ctx.progress(0.05, f"Loading product {params.product_id}.", {"step": "loading", "event": PROGRESS_EVENT})
    loaded = await load(ctx, providers.media, want_photos)
    meter = UsageMeter()
    model = resolve_model(None, providers.model, pinned=providers.model_pinned)

    look: Look | None = None
    if params.use_product_images:
        await ctx.progress(
            0.15, f"Analysing {len(loaded.photos)} product image(s).", {"step": "vision", "event": PROGRESS_EVENT}
        )
        if providers.text is not None:
            look, usage, used = await look_with_provider(providers.text, model, loaded.photos, loaded.facts.title)
            meter.add(used, usage)
        else:
            look = await look_offline(loaded.photos)
    facts = with_look(loaded.facts, look)

    await ctx.progress(0.25, f"Writing {params.posts_count} post(s).", {"step": "text", "event": PROGRESS_EVENT})
    if providers.text is not None:
        copies, usage, used = await compose_with_provider(providers.text, model, facts, options)
        meter.add(used, usage)
        writer = used
    else:
        copies = [compose_offline(facts, options, i) for i in range(params.posts_count)]
        writer = "offline"

    pngs: list[bytes] = []
    renderer = None
    if params.generate_images:
        pngs, renderer = await compose_images(ctx, providers, options, loaded, copies, look, accent)

    await ctx.progress(0.9, f"Storing {len(copies)} post(s).", {"step": "storing", "event": PROGRESS_EVENT})
    stored_params = {
        **options.model_dump(),
        "writer": writer,
        "renderer": renderer,
        "look": look.to_json() if look is not None else None,
        "promptApplied": prompt_changes,
    }
    posts: list[dict[str, Any]] = []
    entry_ids: list[str] = []
    async with ctx.unit_of_work() as uow:
        created_at = utcnow()  # one instant per job: its posts list in their own order
        media_service = MediaService(uow.session, providers.media.storage) if pngs and providers.media else None
        repository = MarketingRepository(uow.session)
        for index, copy in enumerate(copies):
            media_id = None
            if media_service is not None:
                media_id = (await media_service.store_image(ctx.workspace_id, pngs[index])).id
            overlays = copy.overlays(facts.price)
            post, entry = await repository.add_post(
                MarketingPost(
                    workspace_id=ctx.workspace_id,
                    product_id=params.product_id,
                    job_id=ctx.job_id,
                    position=index,
                    angle=copy.angle,
                    caption=copy.caption,
                    hashtags=copy.hashtags,
                    cta=copy.cta,
                    overlays=overlays,
                    image_media_id=media_id,
                    image_type=options.image_type,
                    params=stored_params,
                    created_at=created_at,
                )
            )
            entry_ids.append(entry.id)
            width, height = options.image_size if media_id else (None, None)
            posts.append(
                {
                    "id": post.id,
                    "storefrontPostId": entry.id,
                    "angle": copy.angle,
                    "caption": copy.caption,
                    "hashtags": copy.hashtags,
                    "cta": copy.cta,
                    "overlays": overlays,
                    "imageMediaId": media_id,
                    "imageType": options.image_type,
                    "width": width,
                    "height": height,
                }
            )
        await meter.flush(uow, ctx.workspace_id, ctx.job_id)
    payload = {
        "productId": str(params.product_id),
        "posts": posts,
        "overlays": [p["overlays"] for p in posts],
        "storefrontPostIds": entry_ids,
        "imageMediaIds": [p["imageMediaId"] for p in posts if p["imageMediaId"]],
        "writer": writer,
        "renderer": renderer,
        "look": look.to_json() if look is not None else None,
        "promptApplied": prompt_changes,
    }
    # The completion payload streams too, in order after the progress and before the terminal status event.
    await ctx.progress(
        0.99, f"Generated {len(posts)} post(s).", {"step": "completed", "event": COMPLETED_EVENT, **payload}
    )
    return payload


MARKETING_POSTS = JobKind(
    name="marketing.posts",
    params=PostJobParams,
    handler=run,
    description="Writes 1-3 marketing posts (caption, hashtags, call to action, overlays) for a catalog product, "
    "with a post or story image each when asked.",
)
