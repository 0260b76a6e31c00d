"""Content adaptation jobs: channel (submit, status, result, the configuration used), tone of voice (submit,
status, result) and translation (submit, status, result)."""

from __future__ import annotations

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.adaptation.kinds import CHANNEL_ADAPTATION, TONE_ADAPTATION, TRANSLATION
from domain.content.adaptation.requests import (
    ChannelAdaptationRequest,
    ToneAdaptationRequest,
    TranslationRequest,
    parse_channel_request,
    parse_tone_request,
    parse_translation_request,
)
from domain.content.adaptation.service import AdaptationService
from domain.content.config_schema import ContentConfigBody
from domain.content.configs import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.content.dialect import WRITE, WRITE_DENIED, JobPath, StatusJson, SubmittedJson, status_json
from resolvers.rest.content.generation import ProductResultJson, WarningJson
from resolvers.rest.surface import Call, Router

CHANNEL = "/content-adaptation/channel/jobs"
TONE = "/content-adaptation/tone-of-voice/jobs"
TRANSLATE = "/content-adaptation/translation/jobs"
NOT_COMPLETED = {409: "The job has not completed (detail.status says where it stands)"}
NEEDS_PROVIDER = {503: "provider_required: the service runs without an AI provider, and this needs one"}

router = Router(tags=["content adaptation"])


class TranslationJson(TypedDict):
    language: str
    pdp_content: dict[str, str | list[str]]
    warnings: list[WarningJson]


# --- channel ------------------------------------------------------------------------------------------------------


@router.post(
    CHANNEL,
    response=SubmittedJson,
    responses={**WRITE_DENIED, **NEEDS_PROVIDER},
    parse_body=parse_channel_request,
    **WRITE,
)
async def submit_channel_adaptation(call: Call, body: ChannelAdaptationRequest) -> Response:
    """Adapt products' content to a target channel, learning from the channel examples; offline the
    adaptation is deterministic (see the warnings), and one that needs a translation is refused (503)."""
    providers = call.scope.services.providers
    job = await call.write(lambda uow, p: AdaptationService(uow).submit_channel(p, body, providers))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{CHANNEL}/{{job_id}}/status", permission=READ, response=StatusJson)
async def channel_adaptation_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: AdaptationService(s).get_job(p, CHANNEL_ADAPTATION, path.job_id))
    return JSONResponse(status_json(job))


@router.get(
    f"{CHANNEL}/{{job_id}}/result", permission=READ, response=dict[str, ProductResultJson], responses=NOT_COMPLETED
)
async def channel_adaptation_result(call: Call, path: JobPath) -> Response:
    """The adapted content per product (keyed by product id, in request order), with warnings."""
    return JSONResponse(await call.read(lambda s, p: AdaptationService(s).channel_result(p, path.job_id)))


@router.get(f"{CHANNEL}/{{job_id}}/config", permission=READ, response=ContentConfigBody)
async def channel_adaptation_config(call: Call, path: JobPath) -> Response:
    """The configuration the job used: the saved one merged with the request's."""
    return JSONResponse(await call.read(lambda s, p: AdaptationService(s).channel_config(p, path.job_id)))


# --- tone of voice ------------------------------------------------------------------------------------------------


@router.post(TONE, response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_tone_request, **WRITE)
async def submit_tone_adaptation(call: Call, body: ToneAdaptationRequest) -> Response:
    """Apply a style guide (tone of voice) to the given content."""
    job = await call.write(lambda uow, p: AdaptationService(uow).submit_tone(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{TONE}/{{job_id}}/status", permission=READ, response=StatusJson)
async def tone_adaptation_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: AdaptationService(s).get_job(p, TONE_ADAPTATION, path.job_id))
    return JSONResponse(status_json(job))


@router.get(f"{TONE}/{{job_id}}/result", permission=READ, response=dict[str, str | list[str]], responses=NOT_COMPLETED)
async def tone_adaptation_result(call: Call, path: JobPath) -> Response:
    """The content with the style guide applied, content type by content type as given (warnings: GraphQL's
    ``toneAdaptationResult``)."""
    return JSONResponse(await call.read(lambda s, p: AdaptationService(s).tone_result(p, path.job_id)))


# --- translation --------------------------------------------------------------------------------------------------


@router.post(
    TRANSLATE,
    response=SubmittedJson,
    responses={**WRITE_DENIED, **NEEDS_PROVIDER},
    parse_body=parse_translation_request,
    **WRITE,
)
async def submit_translation(call: Call, body: TranslationRequest) -> Response:
    """Translate the content into up to 5 languages. Needs an AI provider: offline it is refused (503
    ``provider_required``) and nothing is written."""
    providers = call.scope.services.providers
    job = await call.write(lambda uow, p: AdaptationService(uow).submit_translation(p, body, providers))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{TRANSLATE}/{{job_id}}/status", permission=READ, response=StatusJson)
async def translation_status(call: Call, path: JobPath) -> Response:
    """Where the job stands."""
    job = await call.read(lambda s, p: AdaptationService(s).get_job(p, TRANSLATION, path.job_id))
    return JSONResponse(status_json(job))


@router.get(f"{TRANSLATE}/{{job_id}}/result", permission=READ, response=list[TranslationJson], responses=NOT_COMPLETED)
async def translation_result(call: Call, path: JobPath) -> Response:
    """One entry per language, in the order asked for: its name, the translated content and warnings."""
    return JSONResponse(await call.read(lambda s, p: AdaptationService(s).translation_result(p, path.job_id)))
