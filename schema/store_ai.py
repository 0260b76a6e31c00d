"""The GraphQL twin of the store writes' AI flags: an ``ai: StoreAiInput`` argument beside the row's input on
``createCategory``/``updateCategory``, ``createArticle``/``updateArticle`` and ``createPage``/``updatePage``;
the jobs it starts (in the write's transaction) come back as the payload's ``aiJobs`` (follow them with
``jobProgress``). Rules and prices as on the REST surface: docs/store-ai-content.md."""

from __future__ import annotations

import dataclasses

import strawberry

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.jobs import models
from domain.store.ai_flags import AiEnv, AiFlagsCommand, AiRequest, start_ai_jobs
from schema.inputs import parse_input
from schema.types import Info


@strawberry.input(description="AI work to start with the write (see docs/store-ai-content.md).")
class StoreAiInput:
    generate_ai_content: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Write the row's texts (fields set in the same input are kept)."
    )
    generate_seo_keyword: str | None = strawberry.field(
        default=strawberry.UNSET, description="An article's SEO keyword for the written content (max 255)."
    )
    generate_images: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Fill the row's image slots (pages: the homepage only)."
    )
    image_slots: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="An article's slots to fill: listing, hero, social (default: all)."
    )
    image_source: str | None = strawberry.field(
        default=strawberry.UNSET, description="auto (default: the template_image_source setting), stock or ai."
    )


async def parse_ai(info: Info, ai: StoreAiInput | None, input: object) -> AiRequest | None:
    """The flags, checked (problems are ``userErrors``), with the row fields the input sets (kept as sent)."""
    if ai is None:
        return None
    command = await parse_input(info, AiFlagsCommand, ai)
    keep = [f.name for f in dataclasses.fields(input) if getattr(input, f.name) is not strawberry.UNSET]  # type: ignore[arg-type]
    return command.request(keep)


async def start_jobs(
    info: Info,
    uow: UnitOfWork,
    principal: Principal,
    request: AiRequest | None,
    *,
    entity: str,
    entity_id: int,
    page_key: str | None = None,
) -> list[models.Job]:
    if request is None:
        return []
    services = info.context.services
    env = AiEnv(
        providers=services.providers,
        public_base=services.public_base(str(info.context.request.base_url)),
        chips_per_credit=services.chips_per_credit,
        plans=services.plans,
    )
    queued = await start_ai_jobs(
        uow, principal, entity=entity, entity_id=entity_id, request=request, env=env, page_key=page_key
    )
    return [work.job for work in queued]
