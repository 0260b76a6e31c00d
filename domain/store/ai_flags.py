"""The document's AI flags on store writes (``generate_ai_content``, ``generate_seo_keyword``,
``generate_images`` with ``image_source``) turned into jobs, created in the write's own transaction: the row,
the jobs and their credit debits commit together or not at all (too few credits: 402, nothing written).

Prices come from ``domain.store.ai_billing`` at submit: a content fill (``CONTENT_FILL_CHIPS``) when a text
provider writes it (the offline composer costs nothing); per image slot, the keyword call when stock is
tried and an image-model picture when one may be drawn (the image job refunds what it did not spend).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from domain.accounts.principal import Principal
from domain.ai.ports import ProviderSet
from domain.db import UnitOfWork
from domain.jobs.models import Job
from domain.jobs.service import JobService
from domain.store.ai_billing import CONTENT_FILL_CHIPS, credits_for_chips
from domain.store.ai_content import STORE_AI_CONTENT, ContentJobParams
from domain.store.commands import IMAGE_SLOTS, Flag, ImageSource, Line
from domain.store.image_sources import image_model, stock_configured
from domain.store.images import STORE_IMAGES, ImagesJobParams, Source, plan_chips, slots_for
from domain.store.service import StoreService
from domain.validation import Command

STOCK_PROVIDERS = ("pexels", "unsplash", "pixabay")


@dataclass(frozen=True)
class AiRequest:
    """What a write asked for. ``keep``: the fields the write itself set (the content job leaves them)."""

    generate_ai_content: bool = False
    generate_images: bool | list[str] = False
    image_source: str | None = None
    seo_keyword: str | None = None
    keep: Sequence[str] = ()

    @property
    def any(self) -> bool:
        return bool(self.generate_ai_content or self.generate_images)


class AiFlagsCommand(Command):
    """The flags as the GraphQL twin takes them (one argument beside the row's input): ``generate_images``
    with ``image_slots`` (an article's; none: all of them) in place of the REST body's boolean-or-array."""

    generate_ai_content: Flag = False
    generate_seo_keyword: Line = None
    generate_images: Flag = False
    image_slots: list[Literal["listing", "hero", "social"]] | None = None
    image_source: ImageSource | None = None

    def request(self, keep: Sequence[str]) -> AiRequest:
        images: bool | list[str] = self.generate_images
        if self.generate_images and self.image_slots:
            images = [slot for slot in IMAGE_SLOTS if slot in self.image_slots]
        return AiRequest(
            generate_ai_content=self.generate_ai_content,
            generate_images=images,
            image_source=self.image_source,
            seo_keyword=self.generate_seo_keyword or None,
            keep=list(keep),
        )


@dataclass(frozen=True)
class AiEnv:
    """What the composition root hands down: providers, the chip rate, plans, and the public base URL."""

    providers: ProviderSet
    public_base: str
    chips_per_credit: int = 1000
    plans: Mapping[str, int] | None = None


@dataclass(frozen=True)
class QueuedWork:
    job: Job
    credits: int
    slots: list[str] = field(default_factory=list)
    image_source: str | None = None


async def start_ai_jobs(
    uow: UnitOfWork,
    principal: Principal,
    *,
    entity: str,
    entity_id: int,
    request: AiRequest,
    env: AiEnv,
    page_key: str | None = None,
) -> list[QueuedWork]:
    """The jobs a write's flags start (none when it asked for nothing, or for images of a page that has no
    image slots). Call it inside the write's unit of work, after the row is written."""
    if not request.any:
        return []
    jobs = JobService(uow, plans=env.plans)
    queued: list[QueuedWork] = []
    if request.generate_ai_content:
        chips = CONTENT_FILL_CHIPS if env.providers.text is not None else 0
        cost = credits_for_chips(chips, env.chips_per_credit)
        params = ContentJobParams(
            entity=entity,
            entity_id=entity_id,
            seo_keyword=request.seo_keyword,
            keep=list(request.keep),
        )
        job = await jobs.create(principal, kind=STORE_AI_CONTENT, params=params, credits=cost)
        queued.append(QueuedWork(job, cost))
    slots = slots_for(entity, request.generate_images, page_key)
    if slots:
        settings = await StoreService(uow.session).all_settings_unchecked(principal.workspace_id)
        source: Source = request.image_source or settings.get("template_image_source") or "auto"  # type: ignore[assignment]
        keys = {name: settings.get(f"store_{name}_api_key") for name in STOCK_PROVIDERS}
        keyword, image = plan_chips(
            source,
            len(slots),
            stock=stock_configured(env.providers, keys),
            model=image_model(env.providers) is not None,
            keyword_calls=env.providers.text is not None,
        )
        cost = credits_for_chips(keyword + image, env.chips_per_credit)
        image_params = ImagesJobParams(
            entity=entity,
            entity_id=entity_id,
            slots=slots,
            source=source,
            public_base=env.public_base,
            chips_per_credit=env.chips_per_credit,
        )
        job = await jobs.create(principal, kind=STORE_IMAGES, params=image_params, credits=cost)
        queued.append(QueuedWork(job, cost, slots, source))
    return queued


STORE_AI_KINDS = (STORE_AI_CONTENT, STORE_IMAGES)
