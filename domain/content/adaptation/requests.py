"""The content-adaptation submit bodies as the content-services document defines them (channel, tone of voice,
translation), and the parameters their jobs run with.

Codes are checked here, where the body is parsed, so that every problem is reported at once: markets and
languages against CLDR (``locales``), model names against each operation's own enum, content type names against
the configuration's pattern. What needs the workspace's state (a saved configuration, the channel table) is
checked by the service.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    field_validator,
    model_validator,
)

from domain.ai.service import (
    CHANNEL_ADAPTATION,
    TONE_OF_VOICE_ADAPTATION,
    TRANSLATION,
    model_name_validator,
)
from domain.content.config_schema import CONTENT_TYPE_PATTERN, StyleGuide
from domain.content.documents import parse_document
from domain.content.locales import is_language, is_market, language_key
from domain.content.request import (
    CallbackUrl,
    NonEmpty,
    ProductIn,
    SavedConfigRef,
    SentDocument,
    TrackingId,
    model_name_enum,
)

MAX_ITEMS = 100
MAX_EXAMPLES = 20
MAX_LANGUAGES = 5  # "You can specify upto 5 target languages for translation."
MAX_TEXT = 20_000  # characters of one text of a PDP


ChannelModel = Annotated[
    NonEmpty, AfterValidator(model_name_validator(CHANNEL_ADAPTATION)), model_name_enum(CHANNEL_ADAPTATION)
]
ToneModel = Annotated[
    NonEmpty, AfterValidator(model_name_validator(TONE_OF_VOICE_ADAPTATION)), model_name_enum(TONE_OF_VOICE_ADAPTATION)
]
TranslationModel = Annotated[NonEmpty, AfterValidator(model_name_validator(TRANSLATION)), model_name_enum(TRANSLATION)]


def _market(value: str) -> str:
    if not is_market(value):
        raise ValueError(f"unknown market '{value}': use one of the document's market codes, such as 'uk' or 'de'")
    return value


def _language(value: str) -> str:
    if not is_language(value):
        raise ValueError(
            f"unknown language '{value}': use one of the document's language codes, alone or with a market "
            "('en', 'fr_FR')"
        )
    return value


Market = Annotated[NonEmpty, AfterValidator(_market)]
Language = Annotated[NonEmpty, AfterValidator(_language)]


def _pdp(value: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    for name, text in value.items():
        if not CONTENT_TYPE_PATTERN.match(name):
            raise ValueError(f"content type '{name}' must match {CONTENT_TYPE_PATTERN.pattern}")
        texts = text if isinstance(text, list) else [text]
        if any(len(t) > MAX_TEXT for t in texts):
            raise ValueError(f"{name} is longer than {MAX_TEXT} characters")
    if not any((t.strip() if isinstance(t, str) else any(i.strip() for i in t)) for t in value.values()):
        raise ValueError("the content holds no text")
    return value


# "PDP Content": each key a content type, each value a text or a list of texts (bullets).
PdpContent = Annotated[dict[NonEmpty, str | list[str]], Field(min_length=1), AfterValidator(_pdp)]


def content_types_of(*contents: dict[str, Any]) -> list[str]:
    """The content types of some PDP contents, in order of first appearance."""
    return list(dict.fromkeys(name for content in contents for name in content))


# --- channel adaptation ---------------------------------------------------------------------------------------


class ChannelExample(SentDocument):
    """One product's content on the source channel and, as wanted, on the target channel."""

    product_id: NonEmpty | None = None
    source: PdpContent
    target: PdpContent


class ChannelParams(SentDocument):
    """``content_generation_params`` of a channel adaptation."""

    market: Market
    language: Language
    channel: NonEmpty
    source_channel: NonEmpty | None = None
    channel_examples: Annotated[list[ChannelExample], Field(max_length=MAX_EXAMPLES)] | None = None
    # Our addition: the content types to write (among those the channel takes). By default, every type the
    # channel takes in the request's locale.
    content_types: Annotated[list[NonEmpty], Field(min_length=1)] | None = None
    content_config: dict[str, Any] | NonEmpty | None = None  # an object, or a saved configuration's id or name
    content_config_id: NonEmpty | None = None

    @model_validator(mode="after")
    def _checks(self) -> ChannelParams:
        if self.content_types is not None:
            for name in self.content_types:
                if not CONTENT_TYPE_PATTERN.match(name):
                    raise ValueError(f"content type '{name}' must match {CONTENT_TYPE_PATTERN.pattern}")
            if len(set(self.content_types)) != len(self.content_types):
                raise ValueError("a content type is listed twice")
        if isinstance(self.content_config, str) and self.content_config_id is not None:
            raise ValueError("name a saved configuration once: content_config (string) or content_config_id")
        return self

    @property
    def saved_config_ref(self) -> tuple[str, str] | None:
        if self.content_config_id is not None:
            return "content_config_id", self.content_config_id
        if isinstance(self.content_config, str):
            return "content_config", self.content_config
        return None


class AdaptedProduct(ProductIn):
    """The document's product, its market and language checked against the document's codes."""

    market: Market
    language: Language


class ChannelItem(SentDocument):
    """A product with its content on the source channel (``pdp_content``: the current version, adapted;
    ``initial_pdp_content``: the first version, shown to the writer as context)."""

    product: AdaptedProduct
    initial_pdp_content: PdpContent | None = None
    pdp_content: PdpContent


class ChannelAdaptationRequest(SentDocument):
    """``POST /content-adaptation/channel/jobs``."""

    external_tracking_id: TrackingId | None = None
    items: Annotated[list[ChannelItem], Field(min_length=1, max_length=MAX_ITEMS)]
    content_generation_params: ChannelParams
    adaptation_model_name: ChannelModel | None = None
    callback_url: CallbackUrl | None = None

    @model_validator(mode="after")
    def _unique(self) -> ChannelAdaptationRequest:
        ids = [item.product.product_id for item in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate product ids: {', '.join(duplicates)}")
        return self


class ChannelJobParams(BaseModel):
    """What a ``content.adaptation.channel`` job runs with: the request (its configuration resolved), the merged
    configuration, the saved configuration it started from and the content types it writes."""

    request: ChannelAdaptationRequest
    content_config: dict[str, Any]
    saved_config: SavedConfigRef | None
    content_types: list[str]
    product_ids: list[str]


# --- tone of voice adaptation ---------------------------------------------------------------------------------


class ToneAdaptationRequest(SentDocument):
    """``POST /content-adaptation/tone-of-voice/jobs``."""

    external_tracking_id: TrackingId | None = None
    # Required, and "object or null" in the document; null or a guide without any text is refused (there
    # would be nothing to apply).
    style_guide: StyleGuide | None
    content: PdpContent
    adaptation_model_name: ToneModel | None = None
    callback_url: CallbackUrl | None = None

    @field_validator("style_guide")
    @classmethod
    def _guide(cls, value: StyleGuide | None) -> StyleGuide | None:
        if value is None or not guide_rules(value):
            raise ValueError("the style guide is empty: give at least one of its fields (tone_of_voice, …)")
        return value


def guide_rules(guide: StyleGuide) -> dict[str, str]:
    """The style guide's non-empty fields (documented ones first, then any extra ones), as text."""
    fields = guide.model_dump(exclude_none=True)
    return {k: v.strip() for k, v in fields.items() if isinstance(v, str) and v.strip()}


class ToneJobParams(BaseModel):
    request: ToneAdaptationRequest
    content_types: list[str]  # in the order given (PostgreSQL's JSONB does not keep the request's key order)


# --- translation ----------------------------------------------------------------------------------------------


# Target language → {term as written in the source: its translation, to be used verbatim}.
Glossary = dict[Language, dict[NonEmpty, NonEmpty]]


class TranslationRequest(SentDocument):
    """``POST /content-adaptation/translation/jobs``."""

    external_tracking_id: TrackingId | None = None
    pdp_content: PdpContent
    languages: Annotated[list[Language], Field(min_length=1, max_length=MAX_LANGUAGES)]
    translated_keywords: Glossary | None = None
    translation_model_name: TranslationModel | None = None
    callback_url: CallbackUrl | None = None

    @field_validator("languages")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for code in value:
            key = language_key(code) or code
            if key in seen:
                raise ValueError(f"language '{code}' is listed twice")
            seen.add(key)
        return value

    def glossary_for(self, language: str) -> dict[str, str]:
        """The ``translated_keywords`` of one target language (its code compared as a locale: fr-FR = fr_FR)."""
        wanted = language_key(language)
        for code, terms in (self.translated_keywords or {}).items():
            if language_key(code) == wanted:
                return dict(terms)
        return {}


class TranslationJobParams(BaseModel):
    request: TranslationRequest
    content_types: list[str]  # in the order given (PostgreSQL's JSONB does not keep the request's key order)


# --- parsing --------------------------------------------------------------------------------------------------


def parse_channel_request(data: Any) -> ChannelAdaptationRequest:
    return parse_document(ChannelAdaptationRequest, data)


def parse_tone_request(data: Any) -> ToneAdaptationRequest:
    return parse_document(ToneAdaptationRequest, data)


def parse_translation_request(data: Any) -> TranslationRequest:
    return parse_document(TranslationRequest, data)
