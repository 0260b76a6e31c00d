"""The logo operations: picking the template's logo icon for a niche, and generating a wordmark logo."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel

from domain.ai.ports import ProviderError
from domain.errors import DomainError
from domain.jobs.registry import JobContext
from domain.media.ports import MediaPorts
from domain.media.service import MediaService
from domain.media.urls import MAX_TTL_SECONDS
from domain.store.ai_ops.ask import ask, providers_of
from domain.store.ai_ops.icons import DEFAULT_ICON, ICONS, label_of, match_offline, prompt_lines
from domain.store.ai_ops.models import StoreLogo
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.wordmark import STYLE_SCHEMA, WordmarkStyle, offline_style, render_wordmark, style_from
from domain.store.repository import StoreRepository
from domain.store.service import StoreService

ICON_KEY = "template_logo_icon"
LOGO_KEY = "template_logo_url"


class InvalidResponse(DomainError, status=502, code="invalid_response"):
    """The model answered outside what it was given to choose from; nothing was saved (safe to retry)."""


class MediaNotConfigured(DomainError, status=503, code="media_not_configured"):
    """The job has no media storage to keep a file in."""


class NicheParams(BaseModel):
    niche: str


def icon_skip(settings: dict[str, Any]) -> dict[str, Any] | None:
    """The answer when the icon must stay: the admin saved a non-default one."""
    current = settings.get(ICON_KEY)
    return {"status": "skipped"} if current and current != DEFAULT_ICON else None


def logo_skip(settings: dict[str, Any]) -> dict[str, Any] | None:
    if settings.get(LOGO_KEY):
        return {"status": "skipped", "reason": "logo_already_set"}
    if not (settings.get("store_name") or "").strip():
        return {"status": "skipped", "reason": "no_store_name"}
    return None


async def _settings(ctx: JobContext[Any]) -> dict[str, Any]:
    async with ctx.unit_of_work() as uow:
        return await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)


async def pick_icon(ctx: JobContext[NicheParams]) -> dict[str, Any]:
    niche = ctx.params.niche
    skipped = icon_skip(await _settings(ctx))
    if skipped:
        return skipped
    provider = providers_of(ctx).text
    if provider is None:
        key = match_offline(niche)
        if key is None:  # offline, only words can match: none did, so the default stays
            return {"status": "skipped", "reason": "no_offline_match"}
    else:
        await ctx.progress(0.2, f"Choosing an icon for {niche!r}.")
        answer = await ask(
            ctx,
            provider,
            system=(
                "You choose the logo icon of an online store from a fixed catalogue of Material icons. Answer "
                "with one key from the catalogue, exactly as written; the generic shopping icons are a last resort."
            ),
            user=f"Store niche: {niche}\nCatalogue (key: label):\n{prompt_lines()}",
            schema={
                "type": "object",
                "properties": {"icon": {"type": "string"}},
                "required": ["icon"],
                "additionalProperties": False,
            },
            schema_name="logo_icon",
            temperature=0.2,
        )
        key = str(answer.get("icon") or "").strip()
        if key not in ICONS:
            raise InvalidResponse(f"The AI answered {key[:60]!r}, not an icon of the catalogue; nothing saved.")
    async with ctx.unit_of_work() as uow:
        settings = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        skipped = icon_skip(settings)  # the admin may have chosen one while the model thought
        if skipped:
            return skipped
        await StoreRepository(uow.session).save_settings(ctx.workspace_id, {ICON_KEY: key})
    return {"status": "picked", "picked": key, "label": label_of(key)}


async def generate_logo(ctx: JobContext[NicheParams]) -> dict[str, Any]:
    niche = ctx.params.niche
    settings = await _settings(ctx)
    skipped = logo_skip(settings)
    if skipped:
        return skipped
    providers = providers_of(ctx)
    media = providers.media
    if not isinstance(media, MediaPorts):
        raise MediaNotConfigured("No media storage is configured to keep the logo in.")
    style: WordmarkStyle = offline_style(niche)
    if providers.text is not None:
        await ctx.progress(0.2, f"Choosing a style for {niche!r}.")
        answer = await ask(
            ctx,
            providers.text,
            system=(
                "You style an online store's wordmark logo: the store's name in text. Choose colours (#rrggbb, "
                "readable on white, the text dark enough), the letter case, the weight and whether an accent bar "
                "underlines it, to suit the niche."
            ),
            user=f"Store name: {settings['store_name']}\nNiche: {niche}",
            schema=STYLE_SCHEMA,
            schema_name="wordmark_style",
            temperature=0.5,
        )
        if not isinstance(answer, dict):
            raise ProviderError("The AI answered no style.")
        style = style_from(answer, style)
    await ctx.progress(0.6, "Drawing the wordmark.")
    png = await asyncio.to_thread(render_wordmark, str(settings["store_name"]), style)
    async with ctx.unit_of_work() as uow:
        current = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        skipped = logo_skip(current)  # a logo set while this one was drawn wins
        if skipped:
            return skipped
        stored = await MediaService(uow.session, media.storage).store_image(ctx.workspace_id, png, field="logo")
        link = media.urls.sign(stored, ttl_seconds=MAX_TTL_SECONDS, filename="logo.png")
        await StoreRepository(uow.session).save_settings(ctx.workspace_id, {LOGO_KEY: link.path})
        await AiOpsRepository(uow.session).save_logo(
            StoreLogo(workspace_id=ctx.workspace_id, media_id=stored.id, niche=niche, style=style.to_json())
        )
    return {
        "status": "generated",
        "media_id": stored.id,
        "url": link.path,
        "width": stored.width,
        "height": stored.height,
        "style": style.to_json(),
    }
