"""The Tone of Voice - Content Analysis submit body, as the content-services document defines it, and the
style guide it produces."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from domain.ai.service import TONE_OF_VOICE_ANALYSIS, model_name_validator
from domain.content.config_schema import StyleGuide
from domain.content.documents import Document, parse_document
from domain.content.request import CallbackUrl, NonEmpty, ProductIn, TrackingId, model_name_enum

MAX_ITEMS = 5

# A PDP content type's text: a string (title, desc, howtouse ...) or a list of strings (bullets).
PdpValue = NonEmpty | Annotated[list[NonEmpty], Field(min_length=1)]

# The style guide's fields, in the document's order: the content configuration's ``StyleGuide`` is the one list.
STYLE_GUIDE_FIELDS = tuple(StyleGuide.model_fields)


class ToneItem(Document):
    """One product and its PDP contents (``title``, ``desc``, ``howtouse``, ``bullets`` or any content type)."""

    product: ProductIn | None = None
    pdp_contents: Annotated[list[Annotated[dict[NonEmpty, PdpValue], Field(min_length=1)]], Field(min_length=1)]


class ToneAnalysisRequest(Document):
    """``POST /content-analysis/tone-of-voice/jobs`` (GraphQL ``analyseToneOfVoice``)."""

    external_tracking_id: TrackingId | None = None
    items: Annotated[list[ToneItem], Field(min_length=1, max_length=MAX_ITEMS)]
    analysis_model_name: (
        Annotated[
            NonEmpty,
            AfterValidator(model_name_validator(TONE_OF_VOICE_ANALYSIS)),
            model_name_enum(TONE_OF_VOICE_ANALYSIS),
        ]
        | None
    ) = None
    callback_url: CallbackUrl | None = None

    @property
    def language(self) -> str:
        """The PDPs' language: the first product's that names one, else English."""
        for item in self.items:
            if item.product is not None and item.product.language:
                return item.product.language.lower()
        return "en"


def parse_tone_request(data: Any) -> ToneAnalysisRequest:
    """A submit body as ``ToneAnalysisRequest``, or ``InvalidRequest`` listing every problem."""
    return parse_document(ToneAnalysisRequest, data)


class ToneJobParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: ToneAnalysisRequest
