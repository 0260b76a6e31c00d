"""Content adaptation rules: submitting channel, tone-of-voice and translation jobs, and reading them back.
Services never commit; the request owns the transaction."""

from __future__ import annotations

from typing import Any

from domain.accounts.principal import Principal
from domain.ai.ports import ProviderSet
from domain.content.adaptation.kinds import CHANNEL_ADAPTATION, TONE_ADAPTATION, TRANSLATION
from domain.content.adaptation.requests import (
    ChannelAdaptationRequest,
    ChannelJobParams,
    ToneAdaptationRequest,
    ToneJobParams,
    TranslationJobParams,
    TranslationRequest,
    content_types_of,
)
from domain.content.channels.service import ChannelService
from domain.content.configs import MANAGE, ContentConfigService
from domain.content.content_jobs import ContentJobs, completed, params_of
from domain.content.documents import InvalidRequest
from domain.content.locales import language_of
from domain.content.request import SavedConfigRef
from domain.content.service import PRODUCT_KEYS, ordered
from domain.errors import NotFound, Problems, ProviderRequired
from domain.jobs.models import Job
from domain.jobs.registry import JobKind

PARAMS = "content_generation_params"
WARNING_KEYS = ("content_type", "code", "description")


class AdaptationService(ContentJobs):
    """Needs a ``UnitOfWork`` for writes, a session for reads."""

    # --- submit ----------------------------------------------------------------------------------------------

    async def prepare_channel(
        self, principal: Principal, request: ChannelAdaptationRequest, providers: ProviderSet
    ) -> ChannelJobParams:
        """The job's params: the configuration resolved (saved one by id or name, overridden by the inline
        one, validated as a whole) and the content types checked. Writes nothing."""
        principal.require(MANAGE)
        gp = request.content_generation_params
        merged, saved = await ContentConfigService(self.session).resolve(
            principal.workspace_id, gp.saved_config_ref, gp.content_config, (PARAMS, "content_config")
        )
        types = await self._channel_types(principal, request)
        if providers.offline:
            target = language_of(gp.language)
            for item in request.items:
                if language_of(item.product.language) not in (None, target):
                    raise ProviderRequired(
                        f"Product {item.product.product_id} is in '{item.product.language}' and the channel wants "
                        f"'{gp.language}': adapting it is a translation, which needs an AI provider; set "
                        "OPENAI_API_KEY or OPENAI_BASE_URL (SHOPWRIGHT_AI_PROVIDER=openai)."
                    )
        resolved = gp.model_copy(update={"content_config": None, "content_config_id": None})
        return ChannelJobParams(
            request=request.model_copy(update={PARAMS: resolved}),
            content_config=merged,
            saved_config=SavedConfigRef(config_id=saved.config_id, name=saved.name) if saved else None,
            content_types=types,
            product_ids=[item.product.product_id for item in request.items],
        )

    async def _channel_types(self, principal: Principal, request: ChannelAdaptationRequest) -> list[str]:
        """The content types the job writes: those asked for, else those the target channel takes in the
        request's locale (the channel table: built-in channels and the workspace's own). Both channels must be
        known."""
        gp = request.content_generation_params
        channels = ChannelService(self.session)
        locale = f"{language_of(gp.language)}_{gp.market.strip().lower()}"
        allowed: list[str] = []
        for field, channel in (("channel", gp.channel), ("source_channel", gp.source_channel)):
            if channel is None:
                continue
            try:
                found = await channels.content_types(principal, channel, locale)
            except NotFound as exc:
                raise InvalidRequest.field((PARAMS, field), exc.message, rule="in") from None
            if field == "channel":
                allowed = found
        problems = Problems()
        for i, name in enumerate(gp.content_types or []):
            if name not in allowed:
                message = f"Channel '{gp.channel}' does not take '{name}' in {locale}: it takes {', '.join(allowed)}."
                problems.add((PARAMS, "content_types", i), "in", message, {"values": allowed})
        if problems:
            raise InvalidRequest(errors=problems.items)
        return list(gp.content_types or allowed)

    async def submit_channel(
        self, principal: Principal, request: ChannelAdaptationRequest, providers: ProviderSet
    ) -> Job:
        params = await self.prepare_channel(principal, request, providers)
        return await self.enqueue(principal, CHANNEL_ADAPTATION, params, request)

    async def submit_tone(self, principal: Principal, request: ToneAdaptationRequest) -> Job:
        principal.require(MANAGE)
        params = ToneJobParams(request=request, content_types=content_types_of(request.content))
        return await self.enqueue(principal, TONE_ADAPTATION, params, request)

    async def submit_translation(
        self, principal: Principal, request: TranslationRequest, providers: ProviderSet
    ) -> Job:
        """Refused with ``provider_required`` when running offline: there is no honest offline translation."""
        principal.require(MANAGE)
        providers.require_text("Translation")
        params = TranslationJobParams(request=request, content_types=content_types_of(request.pdp_content))
        return await self.enqueue(principal, TRANSLATION, params, request)

    # --- reads -----------------------------------------------------------------------------------------------

    async def get_job(self, principal: Principal, kind: JobKind[Any], job_id: str) -> Job:
        return await self.job(principal, job_id, kind)

    async def channel_result(self, principal: Principal, job_id: str) -> dict[str, Any]:
        return channel_result(completed(await self.get_job(principal, CHANNEL_ADAPTATION, job_id)))

    async def channel_config(self, principal: Principal, job_id: str) -> dict[str, Any]:
        job = await self.get_job(principal, CHANNEL_ADAPTATION, job_id)
        return dict(params_of(job).get("content_config") or {})

    async def tone_result(self, principal: Principal, job_id: str) -> dict[str, Any]:
        content: dict[str, Any] = tone_result(completed(await self.get_job(principal, TONE_ADAPTATION, job_id)))[
            "content"
        ]
        return content

    async def translation_result(self, principal: Principal, job_id: str) -> list[dict[str, Any]]:
        return translation_result(completed(await self.get_job(principal, TRANSLATION, job_id)))


# The stored results put back in request order (PostgreSQL's JSONB does not keep key order).


def channel_result(job: Job) -> dict[str, Any]:
    """``{product_id: {"content", "product", "warnings"}}``: products as submitted, content types as written."""
    params = params_of(job)
    types = list(params.get("content_types") or [])
    out: dict[str, Any] = {}
    for product_id, entry in ordered(dict(job.result or {}), params.get("product_ids") or []).items():
        entry = dict(entry)
        entry["content"] = ordered(dict(entry.get("content") or {}), types)
        entry["product"] = ordered(dict(entry.get("product") or {}), PRODUCT_KEYS)
        entry["warnings"] = warnings_json(entry.get("warnings"))
        out[product_id] = ordered(entry, ("content", "product", "warnings"))
    return out


def warnings_json(raw: Any) -> list[dict[str, Any]]:
    return [ordered(dict(w), WARNING_KEYS) for w in raw or [] if isinstance(w, dict)]


def _types(job: Job) -> list[str]:
    return list(params_of(job).get("content_types") or [])


def tone_result(job: Job) -> dict[str, Any]:
    """``{"content": {type: text}, "warnings": [...]}``, the types in the order given."""
    result = dict(job.result or {})
    return {
        "content": ordered(dict(result.get("content") or {}), _types(job)),
        "warnings": warnings_json(result.get("warnings")),
    }


def translation_result(job: Job) -> list[dict[str, Any]]:
    """One ``{"language", "pdp_content", "warnings"}`` per language, in the order asked for."""
    out: list[dict[str, Any]] = []
    for entry in (job.result or {}).get("translations") or []:
        entry = dict(entry)
        entry["pdp_content"] = ordered(dict(entry.get("pdp_content") or {}), _types(job))
        entry["warnings"] = warnings_json(entry.get("warnings"))
        out.append(ordered(entry, ("language", "pdp_content", "warnings")))
    return out
