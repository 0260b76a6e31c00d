"""The content-generation submit body, as the content-services document defines it, and the parameters a
``content.generation`` job runs with."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

from domain.ai.service import CONTENT_GENERATION, model_field, model_name_validator
from domain.content.documents import Document, parse_document
from domain.errors import InvalidInput
from domain.jobs.callbacks import validate_callback_url
from domain.validation import rule_error

NonEmpty = Annotated[str, StringConstraints(min_length=1)]


def _id_as_text(value: Any) -> Any:
    # The document types product ids as strings; the store API hands out integers. Take both.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def check_callback_url(value: Any) -> Any:
    if isinstance(value, str) and value:
        try:
            validate_callback_url(value)
        except InvalidInput as exc:
            raise rule_error("url", exc.message) from None
    return value


ProductId = Annotated[NonEmpty, BeforeValidator(_id_as_text)]
# The document's ``callback_url`` and ``external_tracking_id``, as every content-service submit body takes them:
# a bad URL is a problem of the body (``bad_request`` with the others), not a separate refusal.
CallbackUrl = Annotated[NonEmpty, BeforeValidator(check_callback_url)]
TrackingId = Annotated[str, StringConstraints(min_length=1, max_length=255)]


def model_name_enum(operation: str) -> Any:
    """The ``Field`` that lists an operation's ``*_model_name`` enum (``domain.ai.service.MODEL_FIELDS``) in the
    OpenAPI document; pair it with ``AfterValidator(model_name_validator(operation))``."""
    return Field(json_schema_extra={"enum": list(model_field(operation).allowed)})


AttributeValue = str | int | float | bool | list[str] | None

MAX_PRODUCTS = 1000
MAX_REVIEWS_USED = 200  # "Only the first 200 reviews will be used"


class SentDocument(Document):
    """A part of the submit body. It serialises as it was sent: fields left out stay out."""

    @model_serializer(mode="wrap")
    def _sent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class Review(SentDocument):
    model_config = ConfigDict(extra="allow", strict=True)

    review_id: str | None = None
    review_text: NonEmpty
    cust: str | None = None


class Attribute(SentDocument):
    name: NonEmpty
    value: AttributeValue = None


class ProductIn(SentDocument):
    """A product as the document defines it. Extra fields are kept out of the prompt but do no harm."""

    model_config = ConfigDict(extra="ignore", strict=True)

    product_id: NonEmpty
    product_name: NonEmpty
    product_description: NonEmpty
    brand: NonEmpty
    market: NonEmpty
    language: NonEmpty
    variant_group_id: NonEmpty
    keywords: dict[NonEmpty, list[str]] | None = None
    reviews: list[Review] | None = None
    attributes: Annotated[list[Attribute], Field(min_length=1)]


class GenerationParams(SentDocument):
    market: NonEmpty | None = None
    channel: NonEmpty | None = None
    language: NonEmpty | None = None
    content_types: Annotated[list[NonEmpty], Field(min_length=1)]
    # An object (the configuration itself), or a string naming a saved configuration (its config_id or name),
    # as the document's merge operation accepts either.
    content_config: dict[str, Any] | NonEmpty | None = None  # validated by the service, with the merge
    # A saved configuration (config_id or name) that ``content_config`` overrides part by part.
    content_config_id: NonEmpty | None = None

    @model_validator(mode="after")
    def _unique_types(self) -> GenerationParams:
        seen: set[str] = set()
        for name in self.content_types:
            if name in seen:
                raise ValueError(f"content type '{name}' is listed twice")
            seen.add(name)
        if isinstance(self.content_config, str) and self.content_config_id is not None:
            raise ValueError("name a saved configuration once: content_config (string) or content_config_id")
        return self

    @property
    def saved_config_ref(self) -> tuple[str, str] | None:
        """(field, id or name) of the saved configuration the request names, if it names one."""
        if self.content_config_id is not None:
            return "content_config_id", self.content_config_id
        if isinstance(self.content_config, str):
            return "content_config", self.content_config
        return None


class GenerationRequest(SentDocument):
    """The submit body (``POST /content-generation/jobs``, GraphQL ``generateContent``)."""

    external_tracking_id: TrackingId | None = None
    products: Annotated[list[ProductIn], Field(min_length=1, max_length=MAX_PRODUCTS)] | None = None
    product_ids: Annotated[list[ProductId], Field(min_length=1, max_length=MAX_PRODUCTS)] | None = None
    skip_grouping: bool = False
    content_generation_params: GenerationParams
    # The document's enum for this operation (``domain.ai.service.MODEL_FIELDS``): "gpt-4.1" only.
    generation_model_name: (
        Annotated[
            NonEmpty, AfterValidator(model_name_validator(CONTENT_GENERATION)), model_name_enum(CONTENT_GENERATION)
        ]
        | None
    ) = None
    callback_url: CallbackUrl | None = None

    @model_validator(mode="after")
    def _one_source(self) -> GenerationRequest:
        if self.products is not None and self.product_ids is not None:
            raise ValueError("provide either products or product_ids, not both")
        if self.products is None and self.product_ids is None:
            raise ValueError("provide products or product_ids")
        ids = self.product_id_list
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate product ids: {', '.join(duplicates)}")
        return self

    @property
    def product_id_list(self) -> list[str]:
        """The products' ids in request order, whichever way they were given."""
        if self.products is not None:
            return [p.product_id for p in self.products]
        return list(self.product_ids or [])


def parse_request(data: Any) -> GenerationRequest:
    """A submit body as ``GenerationRequest``, or ``InvalidRequest`` listing every problem."""
    return parse_document(GenerationRequest, data)


class SavedConfigRef(BaseModel):
    config_id: str
    name: str


class GenerationJobParams(BaseModel):
    """What a ``content.generation`` job runs with: the request (its configuration resolved, so without
    ``content_config`` and ``content_config_id``), the merged configuration, the saved configuration it
    started from, and the product ids in request order."""

    request: GenerationRequest
    content_config: dict[str, Any]
    saved_config: SavedConfigRef | None
    product_ids: list[str]
