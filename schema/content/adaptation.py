"""Content adaptation: channel, tone of voice and translation jobs, started by mutations and read back as typed
fields. Progress arrives through the ``jobProgress`` subscription: a channel adaptation's per-product events
carry ``data: {"product_id", "status"}``, a translation's per-language events ``data: {"language", "status"}``.
"""

from __future__ import annotations

from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from domain.content.adaptation.kinds import CHANNEL_ADAPTATION, TONE_ADAPTATION, TRANSLATION
from domain.content.adaptation.requests import (
    parse_channel_request,
    parse_tone_request,
    parse_translation_request,
)
from domain.content.adaptation.service import AdaptationService, channel_result, tone_result, translation_result
from domain.content.content_jobs import params_of
from domain.jobs.models import COMPLETED
from domain.jobs.models import Job as JobModel
from schema.content.generation import ContentItem, ContentWarning, ProductContentResult
from schema.errors import Payload, payload_mutation
from schema.jobs import Job, JobStatus, job_id_arg
from schema.types import Info


def _items(content: dict[str, Any]) -> list[ContentItem]:
    return [
        ContentItem(
            content_type=name,
            text=value if isinstance(value, str) else None,
            items=[str(v) for v in value] if isinstance(value, list) else None,
        )
        for name, value in content.items()
    ]


def _warnings(raw: list[dict[str, Any]]) -> list[ContentWarning]:
    return [
        ContentWarning(content_type=w.get("content_type"), code=str(w["code"]), description=str(w["description"]))
        for w in raw
    ]


def _done(job: JobModel) -> bool:
    return job.status == COMPLETED and isinstance(job.result, dict)


def _message(job: JobModel) -> str | None:
    return job.error_message if job.error_code else job.message


@strawberry.type(description="A channel adaptation job's outcome; ``products`` is empty until it has completed.")
class ChannelAdaptationResult:
    job_id: str
    status: JobStatus
    message: str | None
    products: list[ProductContentResult]
    used_config: JSON = strawberry.field(description="The configuration the job used (saved merged with inline).")

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        result = channel_result(job) if _done(job) else {}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=_message(job),
            products=[ProductContentResult.from_entry(pid, entry) for pid, entry in result.items()],
            used_config=cast(JSON, dict(params_of(job).get("content_config") or {})),
        )


@strawberry.type(description="A tone-of-voice adaptation's outcome; empty until the job has completed.")
class ToneAdaptationResult:
    job_id: str
    status: JobStatus
    message: str | None
    content: list[ContentItem]
    warnings: list[ContentWarning]

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        result = tone_result(job) if _done(job) else {"content": {}, "warnings": []}
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=_message(job),
            content=_items(result["content"]),
            warnings=_warnings(result["warnings"]),
        )


@strawberry.type(description="The content in one target language.")
class Translation:
    language: str = strawberry.field(description="The language's English name: 'French (France)'.")
    language_code: str = strawberry.field(description="The code the request gave: 'fr_FR'.")
    content: list[ContentItem]
    warnings: list[ContentWarning]


@strawberry.type(description="A translation job's outcome; ``translations`` is empty until it has completed.")
class TranslationResult:
    job_id: str
    status: JobStatus
    message: str | None
    translations: list[Translation]

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        entries = translation_result(job) if _done(job) else []
        codes = list((params_of(job).get("request") or {}).get("languages") or [])
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=_message(job),
            translations=[
                Translation(
                    language=str(entry["language"]),
                    language_code=codes[i] if i < len(codes) else "",
                    content=_items(entry["pdp_content"]),
                    warnings=_warnings(entry["warnings"]),
                )
                for i, entry in enumerate(entries)
            ],
        )


def _body(required: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    """An input as the REST surface's submit body: optional fields left out when not given."""
    return {**required, **{k: v for k, v in optional.items() if v is not None}}


@strawberry.input(description="The channel adaptation submit body, field by field (JSON where the document nests).")
class AdaptToChannelInput:
    items: JSON = strawberry.field(description="[{product, initial_pdp_content, pdp_content}] as in the document.")
    content_generation_params: JSON = strawberry.field(
        description="market, language, channel, source_channel, channel_examples, content_types, content_config "
        "(an object, or a saved configuration's id or name), content_config_id."
    )
    adaptation_model_name: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        return _body(
            {"items": self.items, "content_generation_params": self.content_generation_params},
            {
                "adaptation_model_name": self.adaptation_model_name,
                "callback_url": self.callback_url,
                "external_tracking_id": self.external_tracking_id,
            },
        )


@strawberry.input(description="The tone-of-voice adaptation submit body, field by field.")
class AdaptToneOfVoiceInput:
    style_guide: JSON | None = strawberry.field(description="The Style Guide object (tone_of_voice, …).")
    content: JSON = strawberry.field(description="The PDP content: content type → text or list of texts.")
    adaptation_model_name: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        return _body(
            {"style_guide": self.style_guide, "content": self.content},
            {
                "adaptation_model_name": self.adaptation_model_name,
                "callback_url": self.callback_url,
                "external_tracking_id": self.external_tracking_id,
            },
        )


@strawberry.input(description="The translation submit body, field by field.")
class TranslateContentInput:
    pdp_content: JSON = strawberry.field(description="The PDP content: content type → text or list of texts.")
    languages: list[str] = strawberry.field(description="1 to 5 target languages: 'fr_FR', 'es_ES', 'de'.")
    translated_keywords: JSON | None = strawberry.field(
        default=None, description="Per language, term → the translation to use verbatim."
    )
    translation_model_name: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        return _body(
            {"pdp_content": self.pdp_content, "languages": self.languages},
            {
                "translated_keywords": self.translated_keywords,
                "translation_model_name": self.translation_model_name,
                "callback_url": self.callback_url,
                "external_tracking_id": self.external_tracking_id,
            },
        )


@strawberry.type
class AdaptationJobPayload(Payload):
    job: Job | None = None


@strawberry.type
class ContentAdaptationQuery:
    @strawberry.field(description="A channel adaptation job's result as typed fields, per product.")
    async def channel_adaptation_result(self, info: Info, job_id: strawberry.ID) -> ChannelAdaptationResult:
        job = await info.context.read(
            lambda s, p: AdaptationService(s).get_job(p, CHANNEL_ADAPTATION, job_id_arg(job_id))
        )
        return ChannelAdaptationResult.from_model(job)

    @strawberry.field(description="A tone-of-voice adaptation job's result, with its warnings.")
    async def tone_adaptation_result(self, info: Info, job_id: strawberry.ID) -> ToneAdaptationResult:
        job = await info.context.read(lambda s, p: AdaptationService(s).get_job(p, TONE_ADAPTATION, job_id_arg(job_id)))
        return ToneAdaptationResult.from_model(job)

    @strawberry.field(description="A translation job's result, one entry per language.")
    async def translation_result(self, info: Info, job_id: strawberry.ID) -> TranslationResult:
        job = await info.context.read(lambda s, p: AdaptationService(s).get_job(p, TRANSLATION, job_id_arg(job_id)))
        return TranslationResult.from_model(job)


@strawberry.type
class ContentAdaptationMutation:
    @payload_mutation(
        description="Adapt products' content to another channel; follow it with jobProgress.", camel=False
    )
    async def adapt_content_to_channel(self, info: Info, input: AdaptToChannelInput) -> AdaptationJobPayload:
        principal = await info.context.principal()
        request = parse_channel_request(input.body())
        providers = info.context.scope.services.providers
        job = await info.context.scope.write(
            lambda uow: AdaptationService(uow).submit_channel(principal, request, providers)
        )
        return AdaptationJobPayload(job=Job.from_model(job))

    @payload_mutation(description="Apply a style guide to content; follow it with jobProgress.", camel=False)
    async def adapt_tone_of_voice(self, info: Info, input: AdaptToneOfVoiceInput) -> AdaptationJobPayload:
        principal = await info.context.principal()
        request = parse_tone_request(input.body())
        job = await info.context.scope.write(lambda uow: AdaptationService(uow).submit_tone(principal, request))
        return AdaptationJobPayload(job=Job.from_model(job))

    @payload_mutation(
        description="Translate content into up to 5 languages (needs an AI provider); follow it with jobProgress.",
        camel=False,
    )
    async def translate_content(self, info: Info, input: TranslateContentInput) -> AdaptationJobPayload:
        principal = await info.context.principal()
        request = parse_translation_request(input.body())
        providers = info.context.scope.services.providers
        job = await info.context.scope.write(
            lambda uow: AdaptationService(uow).submit_translation(principal, request, providers)
        )
        return AdaptationJobPayload(job=Job.from_model(job))
