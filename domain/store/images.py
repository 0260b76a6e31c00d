"""The ``store.images`` job: a category's, article's, homepage page's or product's image slots filled per
``image_source`` (``domain.store.image_sources``), stored through the media port and attached to the row.

Slots: a category's banner and listing image; an article's listing, hero and social images (its
``*_image_url`` fields then show them); the homepage page's hero (1536x1024, the template's
TEMPLATE_IMAGE_HOMEPAGE_HERO), offer box background and social image; a product's main image
(``domain.store.product_images``: the listing studio's CLEAN_WHITE_BG rendering of its first image, or a stock or
model picture when it has none), added as its newest ``ProductImage`` and shown as its ``main_image_url``. Each
stored picture gets a slot row (``StoreImage``) with its attribution, and a stable public address
``<base>/store-media/<id>.<ext>``.

Billing: the job was charged at submit for the worst case of each slot (a keyword call when stock is tried,
an image-model picture when one may be drawn). When it ends, what was not spent (a stock hit where the model
was paid for, a slot left empty) is refunded in the same transaction that stores the pictures, and the job's
``credits_charged`` lowered to match, so a later failure can never give back more than was kept.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.accounts.credits import REFUND, CreditsService, LedgerNote
from domain.ai.ports import ProviderSet
from domain.ai.service import UsageMeter, resolve_model
from domain.db import UnitOfWork
from domain.errors import NotFound
from domain.jobs.registry import JobContext, JobKind
from domain.jobs.repository import JobsRepository
from domain.media.ports import MediaPorts
from domain.media.service import EXTENSIONS, MediaService
from domain.store.ai_billing import AI_IMAGE_CHIPS, STOCK_KEYWORD_CHIPS, credits_for_chips
from domain.store.image_models import StoreImage
from domain.store.image_repository import StoreAiRepository
from domain.store.image_sources import (
    RENDERED,
    Picture,
    Slot,
    Subject,
    from_model_or_render,
    from_stock,
    search_term,
    stock_configured,
)
from domain.store.product_images import SLOT as PRODUCT_SLOT
from domain.store.product_images import ProductSource, load_source, studio_picture
from domain.store.service import StoreService

Entity = Literal["category", "article", "page", "product"]
Source = Literal["auto", "stock", "ai"]
PUBLIC_PREFIX = "/store-media/"

SLOTS: dict[str, tuple[Slot, ...]] = {
    "category": (
        Slot("banner", 1600, 533, "wide banner photo at the top of a shop category page"),
        Slot("listing", 800, 800, "square thumbnail for a shop category"),
    ),
    "article": (
        Slot("listing", 800, 800, "square thumbnail for a blog article"),
        Slot("hero", 1536, 1024, "wide hero photo at the top of a blog article"),
        Slot("social", 1200, 630, "social media preview picture for a blog article"),
    ),
    "page": (
        Slot("hero", 1536, 1024, "wide hero photo at the top of an online store's homepage"),
        Slot("offer_box", 1024, 1024, "calm background photo behind an offer box"),
        Slot("social", 1200, 630, "social media preview picture for an online store"),
    ),
    "product": (PRODUCT_SLOT,),
}
# The article columns that show a slot's picture.
ARTICLE_COLUMNS = {"hero": "hero_image_url", "listing": "listing_image_url", "social": "social_image_url"}


def slots_for(entity: str, requested: bool | list[str], page_key: str | None = None) -> list[str]:
    """The slots a ``generate_images`` value asks for: every slot of the row (true), or the article slots named.
    Pages other than the homepage have no image slots (the document: they "no-op")."""
    if not requested or entity not in SLOTS or (entity == "page" and page_key != "homepage"):
        return []
    names = [s.name for s in SLOTS[entity]]
    if isinstance(requested, list) and entity == "article":
        return [n for n in names if n in requested]
    return names


def plan_chips(source: Source, slots: int, *, stock: bool, model: bool, keyword_calls: bool) -> tuple[int, int]:
    """(keyword chips, image chips) per slot charged at submit: a keyword call when stock is tried (and there is
    a text provider to make it), an image-model picture when one may be drawn."""
    tries_stock = source in ("auto", "stock") and stock
    may_draw = model and source != "stock"
    keyword = STOCK_KEYWORD_CHIPS if tries_stock and keyword_calls else 0
    image = AI_IMAGE_CHIPS if may_draw else 0
    return keyword * slots, image * slots


class ImagesJobParams(BaseModel):
    entity: Entity
    entity_id: int = Field(ge=1)
    slots: list[str] = Field(min_length=1)
    source: Source = "auto"
    # Where the service is reached from outside (the request's base, or SHOPWRIGHT_PUBLIC_URL).
    public_base: str = Field(min_length=1, max_length=2048)
    chips_per_credit: int = Field(ge=1)


def public_url(base: str, image: StoreImage, content_type: str) -> str:
    return f"{base.rstrip('/')}{PUBLIC_PREFIX}{image.id}.{EXTENSIONS.get(content_type, 'bin')}"


async def _subject(
    ctx: JobContext[ImagesJobParams], media: MediaPorts
) -> tuple[Subject, str | None, ProductSource | None]:
    params = ctx.params
    async with ctx.unit_of_work() as uow:
        row = await StoreAiRepository(uow.session).row(ctx.workspace_id, params.entity, params.entity_id)
        if row is None:
            raise NotFound(f"The {params.entity} {params.entity_id} no longer exists.")
        values = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        product = await load_source(uow.session, media, ctx.workspace_id, row) if params.entity == "product" else None
    keys = {name: values.get(f"store_{name}_api_key") for name in ("pexels", "unsplash", "pixabay")}
    seed = f"{ctx.workspace_id}:{params.entity}:{params.entity_id}"
    caption = values.get("store_name") if params.entity != "page" else values.get("store_niche")
    return Subject(row.title, values.get("store_niche"), keys, seed), caption, product


async def run(ctx: JobContext[ImagesJobParams]) -> dict[str, Any]:
    """The ``store.images`` job handler."""
    params = ctx.params
    providers = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    if providers.media is None:
        raise RuntimeError("store.images needs the media ports (ctx.providers.media)")
    subject, caption, product = await _subject(ctx, providers.media)
    wanted = [s for s in SLOTS[params.entity] if s.name in params.slots]
    model = resolve_model(None, providers.model, pinned=providers.model_pinned)
    meter = UsageMeter()
    warnings: list[str] = []
    try:
        if product is not None and product.has_image:
            await ctx.progress(0.1, "Rendering the product's first image on white.", {"slot": PRODUCT_SLOT.name})
            pictures = {PRODUCT_SLOT.name: await studio_picture(providers.media, product)}
            terms: dict[str, str] = {}
            spent_chips = 0
        else:
            pictures, terms, spent_chips = await _find(ctx, providers, subject, caption, wanted, model, meter, warnings)
    finally:
        if meter.pending:  # a failure keeps the tokens it spent on the record
            async with ctx.unit_of_work() as uow:
                await meter.flush(uow, ctx.workspace_id, ctx.job_id)
    await ctx.progress(len(wanted) / (len(wanted) + 1), f"Storing {len(pictures)} image(s).", {"step": "storing"})
    images: list[dict[str, Any]] = []
    async with ctx.unit_of_work() as uow:
        repo = StoreAiRepository(uow.session)
        row = await repo.row(ctx.workspace_id, params.entity, params.entity_id, for_update=True)
        if row is None:
            raise NotFound(f"The {params.entity} {params.entity_id} was deleted while its images were made.")
        media = MediaService(uow.session, providers.media.storage)
        for slot in wanted:
            picture = pictures.get(slot.name)
            if picture is None:
                continue
            stored = await media.store_image(ctx.workspace_id, picture.data)
            image = StoreImage(
                workspace_id=ctx.workspace_id,
                entity=params.entity,
                entity_id=params.entity_id,
                slot=slot.name,
                media_id=stored.id,
                source=picture.source,
                search_term=terms.get(slot.name),
                attribution=picture.attribution,
                job_id=ctx.job_id,
            )
            await repo.replace_image(image)
            url = public_url(params.public_base, image, stored.content_type)
            if params.entity == "article":
                setattr(row, ARTICLE_COLUMNS[slot.name], url)
            elif params.entity == "product":
                await media.add_product_image(ctx.workspace_id, params.entity_id, stored)
                row.main_image_url = url
            images.append({"slot": slot.name, "url": url, "source": picture.source, "attribution": picture.attribution})
        refunded = await _settle(ctx, uow, credits_for_chips(spent_chips, params.chips_per_credit))
        await meter.flush(uow, ctx.workspace_id, ctx.job_id)
    return {
        "entity": params.entity,
        "id": params.entity_id,
        "images": images,
        "skipped": [s.name for s in wanted if s.name not in pictures],
        "creditsRefunded": refunded,
        "warnings": warnings,
    }


async def _find(
    ctx: JobContext[ImagesJobParams],
    providers: ProviderSet,
    subject: Subject,
    caption: str | None,
    wanted: list[Slot],
    model: str,
    meter: UsageMeter,
    warnings: list[str],
) -> tuple[dict[str, Picture], dict[str, str], int]:
    """Each slot's picture (a slot no source had is absent), its stock search term, and the chips spent."""
    params = ctx.params
    use_stock = params.source in ("auto", "stock") and stock_configured(providers, subject.stock_keys)
    pictures: dict[str, Picture] = {}
    terms: dict[str, str] = {}
    spent_chips = 0
    for index, slot in enumerate(wanted):
        await ctx.progress(index / (len(wanted) + 1), f"Finding the {slot.name} image.", {"slot": slot.name})
        picture: Picture | None = None
        if use_stock:
            term, usage = await search_term(providers, subject, slot, model)
            terms[slot.name] = term
            if usage.total_tokens:
                meter.add(model, usage)
                spent_chips += STOCK_KEYWORD_CHIPS
            picture = await from_stock(providers, subject, slot, term, warnings)
        if picture is None and params.source != "stock":
            picture = await from_model_or_render(providers, subject, slot, caption)
            if picture.source != RENDERED:
                spent_chips += AI_IMAGE_CHIPS
        if picture is None and not use_stock:
            warnings.append(f"{slot.name}: no stock provider has an API key; the slot stays empty.")
        elif picture is None:
            warnings.append(f"{slot.name}: no stock photo matched '{terms.get(slot.name, '')}'; the slot stays empty.")
        else:
            pictures[slot.name] = picture
    return pictures, terms, spent_chips


async def _settle(ctx: JobContext[ImagesJobParams], uow: UnitOfWork, spent: int) -> int:
    """Refund what was charged but not spent, and lower the job's charge to what it kept. A job never costs
    more than its answer said (a key added after submit makes the keyword call free)."""
    job = await JobsRepository(uow.session).get_for_update(ctx.job_id)
    if job is None or job.credits_charged <= spent:
        return 0
    refund = job.credits_charged - spent
    job.credits_charged = spent
    note = LedgerNote(REFUND, reference=ctx.job_id, details={"kind": job.kind, "reason": "unspent"})
    await CreditsService(uow).refund(ctx.workspace_id, refund, note)
    return refund


STORE_IMAGES = JobKind(
    name="store.images",
    params=ImagesJobParams,
    handler=run,
    description="Fill a category's, article's or homepage's image slots (stock photos, image model, rendering).",
    max_attempts=1,  # a paid picture is not drawn twice; a failure refunds what was charged
)
